import type { MigrationInterface, QueryRunner } from 'typeorm';

// Revocations get the id of the transaction that wrote them (xid8, never wraps), so the poll can
// follow a cursor that no late commit can fall behind: it reads only rows whose transaction is
// older than every transaction still running (the snapshot's xmin), then moves the cursor there.
export class RevocationCursor1734500000000 implements MigrationInterface {
  name = 'RevocationCursor1734500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.revocations ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX revocations_by_txid ON auth.revocations (txid, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auth.revocations_by_txid`);
    await q.query(`ALTER TABLE auth.revocations DROP COLUMN txid`);
  }
}
