import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Email flows: single-use tokens (hashed), invitations, the mail queue, temporary passwords. */
export class EmailFlows1763940000000 implements MigrationInterface {
  name = 'EmailFlows1763940000000';

  async up(q: QueryRunner): Promise<void> {
    // Set by a temporary password: a session begun with it may only change the secret.
    await q.query(`alter table credentials add column must_change boolean not null default false`);
    // Owners made before verification existed count as verified (new ones are made verified), so
    // USHER_USERS_ALLOW_UNVERIFIED_USER=false never locks them out of their own service.
    await q.query(`update users set verified_at = created_at where role = 3 and verified_at is null`);
    await q.query(`
      create table invitations (
        id uuid primary key,
        email text not null,
        role smallint not null check (role between 0 and 3),
        invited_by uuid,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        closed_at timestamptz,
        outcome text check (outcome in ('accepted', 'revoked', 'expired')),
        user_id uuid references users (id) on delete set null
      )`);
    // At most one open invitation per address (expired ones are closed before a new one is made).
    await q.query(
      `create unique index invitations_open_email on invitations (lower(email)) where closed_at is null`,
    );
    await q.query(
      `create index invitations_open on invitations (created_at desc, id) where closed_at is null`,
    );
    // Only the SHA-256 of a token is kept; used_at makes it single-use.
    await q.query(`
      create table email_tokens (
        id uuid primary key,
        purpose text not null check (purpose in ('verification', 'password_reset', 'invitation')),
        token_hash text not null,
        user_id uuid references users (id) on delete cascade,
        invitation_id uuid references invitations (id) on delete cascade,
        email text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz
      )`);
    await q.query(`create unique index email_tokens_hash on email_tokens (token_hash)`);
    await q.query(`create index email_tokens_user on email_tokens (user_id, purpose) where used_at is null`);
    await q.query(`create index email_tokens_expires on email_tokens (expires_at)`);
    // Outbox of mails: written with the change, delivered after the commit by the sender loop.
    await q.query(`
      create table mail_queue (
        id uuid primary key,
        kind text not null,
        recipient text not null,
        user_id uuid,
        subject text not null,
        text_body text not null,
        html_body text not null,
        link text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        sent_at timestamptz,
        failed_at timestamptz
      )`);
    await q.query(
      `create index mail_queue_due on mail_queue (next_attempt_at) where sent_at is null and failed_at is null`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table mail_queue`);
    await q.query(`drop table email_tokens`);
    await q.query(`drop table invitations`);
    await q.query(`alter table credentials drop column must_change`);
  }
}
