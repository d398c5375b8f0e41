import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1763900000000 implements MigrationInterface {
  name = 'CreateUsers1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table users (
        id uuid primary key,
        first_name text not null default '',
        last_name text not null default '',
        email text not null,
        username text not null,
        role smallint not null default 0 check (role between 0 and 3),
        status smallint not null default 0 check (status between 0 and 2),
        tags text[] not null default '{}',
        metadata jsonb not null default '{}',
        picture text not null default '',
        verified_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz,
        updated_by uuid
      )`);
    // Identities are unique whatever their case: sign-in looks them up case-insensitively.
    await q.query(`create unique index users_email_key on users (lower(email))`);
    await q.query(`create unique index users_username_key on users (lower(username))`);
    await q.query(`create index users_role_idx on users (role) where status <> 2`);
    // Secrets apart from the rows that are listed and shown: only sign-in reads this table.
    await q.query(`
      create table credentials (
        user_id uuid primary key references users (id) on delete cascade,
        secret_hash text not null,
        updated_at timestamptz not null default now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table credentials`);
    await q.query(`drop table users`);
  }
}
