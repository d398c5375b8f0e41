import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in with external identity providers: linked identities and flows in progress. */
export class OAuthIdentities1763960000000 implements MigrationInterface {
  name = 'OAuthIdentities1763960000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (provider, subject): the provider's stable id signs in the same account even
    // after the email address changes at the provider.
    await q.query(`
      create table user_identities (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        provider text not null,
        subject text not null,
        email text not null default '',
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        unique (provider, subject)
      )`);
    await q.query(`create index user_identities_user on user_identities (user_id)`);
    // A started sign-in: found by the SHA-256 of the browser's flow cookie, spent once.
    await q.query(`
      create table oauth_flows (
        id text primary key,
        provider text not null,
        state text not null,
        nonce text not null,
        code_verifier text not null,
        expires_at timestamptz not null
      )`);
    await q.query(`create index oauth_flows_expiry on oauth_flows (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table oauth_flows`);
    await q.query(`drop table user_identities`);
  }
}
