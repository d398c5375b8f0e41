import { randomUUID } from 'crypto';
import type { AuditLog, AuditRecord } from '../ports';
import type { AuditEntry, AuditQuery, AuditType, Page } from '../service';
import { AuditEntity, type AuditRow } from './entities';
import type { Transactor } from './tx';

const fromRow = (r: AuditRow): AuditEntry => ({
  id: r.id,
  type: r.type as AuditType,
  outcome: r.outcome,
  actorId: r.actor_id,
  targetId: r.target_id,
  ip: r.ip,
  userAgent: r.user_agent,
  occurredAt: r.occurred_at,
  details: r.details ?? {},
});

export class PostgresAuditLog implements AuditLog {
  constructor(private readonly tx: Transactor) {}

  private rows() {
    return this.tx.manager().getRepository(AuditEntity);
  }

  async append(record: AuditRecord): Promise<void> {
    await this.rows().insert({
      id: randomUUID(),
      type: record.type,
      outcome: record.outcome,
      actor_id: record.actorId,
      target_id: record.targetId,
      ip: record.ip.slice(0, 64),
      user_agent: record.userAgent.slice(0, 512),
      occurred_at: new Date(),
      details: record.details as AuditRow['details'],
    });
  }

  async list(q: AuditQuery): Promise<Page<AuditEntry>> {
    const qb = this.rows().createQueryBuilder('a');
    if (q.since) qb.andWhere('a.occurred_at >= :since', { since: q.since });
    if (q.until) qb.andWhere('a.occurred_at < :until', { until: q.until });
    if (q.type) qb.andWhere('a.type = :type', { type: q.type });
    if (q.userId) qb.andWhere('(a.actor_id = :user or a.target_id = :user)', { user: q.userId });
    const [rows, total] = await qb
      .orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(q.offset)
      .limit(q.limit)
      .getManyAndCount();
    return { total, offset: q.offset, limit: q.limit, items: rows.map(fromRow) };
  }
}
