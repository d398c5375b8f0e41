import type { MigrationInterface, QueryRunner } from 'typeorm';

// API keys (personal access tokens), revoked through the same revocations table as sessions.
export class ApiKeys1733000000000 implements MigrationInterface {
  name = 'ApiKeys1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.api_keys (
        id             uuid PRIMARY KEY,
        user_id        uuid NOT NULL,
        name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        role           text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
        verified       boolean NOT NULL,
        secret_hash    text NOT NULL,
        created_at     timestamptz NOT NULL,
        expires_at     timestamptz NOT NULL,
        last_used_at   timestamptz,
        revoked_at     timestamptz,
        revoked_reason text
      )`);
    await q.query(`CREATE INDEX api_keys_live_by_user ON auth.api_keys (user_id) WHERE revoked_at IS NULL`);
    await q.query(`ALTER TABLE auth.revocations DROP CONSTRAINT revocations_kind_check`);
    await q.query(
      `ALTER TABLE auth.revocations ADD CONSTRAINT revocations_kind_check
       CHECK (kind IN ('session', 'user', 'api_key'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM auth.revocations WHERE kind = 'api_key'`);
    await q.query(`ALTER TABLE auth.revocations DROP CONSTRAINT revocations_kind_check`);
    await q.query(
      `ALTER TABLE auth.revocations ADD CONSTRAINT revocations_kind_check CHECK (kind IN ('session', 'user'))`,
    );
    await q.query(`DROP TABLE auth.api_keys`);
  }
}
