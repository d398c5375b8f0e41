import type { MigrationInterface, QueryRunner } from 'typeorm';

// Everything lives in the `auth` schema (created before migrations run, see data-source.ts).
export class Initial1732000000000 implements MigrationInterface {
  name = 'Initial1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.signing_keys (
        kid          text PRIMARY KEY,
        private_key  text NOT NULL,
        public_jwk   jsonb NOT NULL,
        created_at   timestamptz NOT NULL,
        retired_at   timestamptz,
        verify_until timestamptz
      )`);
    await q.query(`
      CREATE TABLE auth.sessions (
        id             uuid PRIMARY KEY,
        user_id        uuid NOT NULL,
        role           text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
        verified       boolean NOT NULL,
        method         text NOT NULL,
        user_agent     text NOT NULL DEFAULT '',
        ip             text NOT NULL DEFAULT '',
        created_at     timestamptz NOT NULL,
        last_used_at   timestamptz NOT NULL,
        expires_at     timestamptz NOT NULL,
        revoked_at     timestamptz,
        revoked_reason text
      )`);
    await q.query(`CREATE INDEX sessions_live_by_user ON auth.sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE auth.refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_by_session ON auth.refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE auth.user_token_validity (
        user_id            uuid PRIMARY KEY,
        tokens_valid_after timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE auth.revocations (
        seq     bigserial PRIMARY KEY,
        kind    text NOT NULL CHECK (kind IN ('session', 'user')),
        subject uuid NOT NULL,
        at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX revocations_by_time ON auth.revocations (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'revocations',
      'user_token_validity',
      'refresh_tokens',
      'sessions',
      'signing_keys',
    ]) {
      await q.query(`DROP TABLE auth.${table}`);
    }
  }
}
