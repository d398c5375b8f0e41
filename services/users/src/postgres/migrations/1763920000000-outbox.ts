import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '@usher/events';

/** The transactional outbox of user events (relayed to NATS JetStream by @usher/events). */
export class Outbox1763920000000 implements MigrationInterface {
  name = 'Outbox1763920000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxTableSql('outbox')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table outbox`);
  }
}
