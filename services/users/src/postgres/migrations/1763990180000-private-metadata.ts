import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Magistrala's `private_metadata`: shown to the user and to admins, never in public views or
 * search results, and not a list filter.
 */
export class PrivateMetadata1763990180000 implements MigrationInterface {
  name = 'PrivateMetadata1763990180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table users add column private_metadata jsonb not null default '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table users drop column private_metadata`);
  }
}
