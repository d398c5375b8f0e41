import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runtime settings an owner changes through the API (e.g. whether authentication is required). */
export class Settings1763980000000 implements MigrationInterface {
  name = 'Settings1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table settings (
        key text primary key,
        value jsonb not null,
        updated_at timestamptz not null default now(),
        updated_by uuid
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table settings`);
  }
}
