import type { MigrationInterface, QueryRunner } from 'typeorm';

/** List/search at scale, soft delete, the audit log and lockout counters. */
export class Accounts1763910000000 implements MigrationInterface {
  name = 'Accounts1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table users add column deleted_at timestamptz`);
    // Substring search on 1M users: trigram GIN indexes on the lower-cased fields.
    await q.query(`create extension if not exists pg_trgm`);
    for (const field of ['email', 'username', 'first_name', 'last_name']) {
      await q.query(`create index users_${field}_trgm on users using gin (lower(${field}) gin_trgm_ops)`);
    }
    await q.query(`create index users_tags_gin on users using gin (tags)`);
    await q.query(`create index users_metadata_gin on users using gin (metadata jsonb_path_ops)`);
    await q.query(`create index users_status_created on users (status, created_at, id)`);
    await q.query(`create index users_deleted_at on users (deleted_at) where status = 2`);
    await q.query(`
      create table audit_log (
        id uuid primary key,
        type text not null,
        outcome text not null check (outcome in ('success', 'failure')),
        actor_id uuid,
        target_id uuid,
        ip text not null default '',
        user_agent text not null default '',
        occurred_at timestamptz not null default now(),
        details jsonb not null default '{}'
      )`);
    await q.query(`create index audit_log_time on audit_log (occurred_at desc, id)`);
    await q.query(`create index audit_log_actor on audit_log (actor_id, occurred_at desc)`);
    await q.query(`create index audit_log_target on audit_log (target_id, occurred_at desc)`);
    await q.query(`create index audit_log_type on audit_log (type, occurred_at desc)`);
    // Failed sign-ins per account (user:<id>) or per unknown identity (identity:<text>).
    await q.query(`
      create table login_attempts (
        key text primary key,
        failures integer not null,
        window_started_at timestamptz not null,
        locked_until timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table login_attempts`);
    await q.query(`drop table audit_log`);
    for (const index of ['email', 'username', 'first_name', 'last_name'])
      await q.query(`drop index users_${index}_trgm`);
    await q.query(`drop index users_tags_gin`);
    await q.query(`drop index users_metadata_gin`);
    await q.query(`drop index users_status_created`);
    await q.query(`drop index users_deleted_at`);
    await q.query(`alter table users drop column deleted_at`);
  }
}
