import { roleName } from '@usher/contracts';
import type { OverviewQueries, SignInBucket } from '../domain/overview';
import { USER_STATUSES, type AuditEntry, type AuditType, type UserStatus } from '../service';
import type { Transactor } from './tx';

/** Audit types an admin should see first on the overview (sign-in trouble and privileged changes). */
export const SECURITY_EVENT_TYPES: readonly AuditType[] = [
  'signin_failed',
  'locked',
  'unlocked',
  'refresh_reuse_detected',
  'sessions_revoked',
  'role_changed',
  'user_disabled',
  'user_deleted',
  'user_purged',
  'password_reset',
  'temporary_password_set',
  'recovery_owner_created',
  'settings_changed',
  'key_created',
  'invitation_created',
];

const count = (v: unknown) => Number(v ?? 0);

/**
 * The overview's figures, aggregated by PostgreSQL: one grouped scan per series over the
 * (type, occurred_at) and (status, created_at) indexes, with empty buckets filled by generate_series.
 * Buckets are in UTC.
 */
export class PostgresOverviewQueries implements OverviewQueries {
  constructor(private readonly tx: Transactor) {}

  async signIns(unit: 'hour' | 'day', buckets: number, now: Date): Promise<SignInBucket[]> {
    const rows: { start: Date; succeeded: string; failed: string; lockouts: string }[] = await this.tx
      .manager()
      .query(
        `with bounds as (
           select date_trunc($1, $2::timestamptz at time zone 'UTC') as last,
                  ('1 ' || $1)::interval as step
         ),
         series as (
           select generate_series(last - step * ($3 - 1), last, step) as start from bounds
         ),
         counted as (
           select date_trunc($1, a.occurred_at at time zone 'UTC') as start,
                  count(*) filter (where a.type = 'signin_succeeded') as succeeded,
                  count(*) filter (where a.type = 'signin_failed') as failed,
                  count(*) filter (where a.type = 'locked') as lockouts
             from audit_log a, bounds b
            where a.type in ('signin_succeeded', 'signin_failed', 'locked')
              and a.occurred_at >= (b.last - b.step * ($3 - 1)) at time zone 'UTC'
              and a.occurred_at < (b.last + b.step) at time zone 'UTC'
            group by 1
         )
         select s.start at time zone 'UTC' as start,
                coalesce(c.succeeded, 0) as succeeded,
                coalesce(c.failed, 0) as failed,
                coalesce(c.lockouts, 0) as lockouts
           from series s left join counted c on c.start = s.start
          order by s.start`,
        [unit, now.toISOString(), buckets],
      );
    return rows.map((r) => ({
      start: new Date(r.start),
      succeeded: count(r.succeeded),
      failed: count(r.failed),
      lockouts: count(r.lockouts),
    }));
  }

  async newUsers(buckets: number, now: Date): Promise<{ start: Date; count: number }[]> {
    const rows: { start: Date; count: string }[] = await this.tx.manager().query(
      `with bounds as (select date_trunc('day', $1::timestamptz at time zone 'UTC') as last),
       series as (
         select generate_series(last - interval '1 day' * ($2 - 1), last, interval '1 day') as start
           from bounds
       ),
       counted as (
         select date_trunc('day', u.created_at at time zone 'UTC') as start, count(*) as count
           from users u, bounds b
          where u.created_at >= (b.last - interval '1 day' * ($2 - 1)) at time zone 'UTC'
          group by 1
       )
       select s.start at time zone 'UTC' as start, coalesce(c.count, 0) as count
         from series s left join counted c on c.start = s.start
        order by s.start`,
      [now.toISOString(), buckets],
    );
    return rows.map((r) => ({ start: new Date(r.start), count: count(r.count) }));
  }

  async usersByRoleStatus() {
    const rows: { role: number; status: number; count: string }[] = await this.tx
      .manager()
      .query(`select role, status, count(*) as count from users group by role, status order by role, status`);
    return rows.map((r) => ({
      role: roleName(r.role),
      status: (USER_STATUSES[r.status] ?? 'disabled') as UserStatus,
      count: count(r.count),
    }));
  }

  async securityEvents(limit: number): Promise<AuditEntry[]> {
    const rows: {
      id: string;
      type: AuditType;
      outcome: 'success' | 'failure';
      actor_id: string | null;
      target_id: string | null;
      ip: string;
      user_agent: string;
      occurred_at: Date;
      details: Record<string, unknown> | null;
    }[] = await this.tx.manager().query(
      `select id, type, outcome, actor_id, target_id, ip, user_agent, occurred_at, details
         from audit_log where type = any($1) order by occurred_at desc, id desc limit $2`,
      [SECURITY_EVENT_TYPES, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      outcome: r.outcome,
      actorId: r.actor_id,
      targetId: r.target_id,
      ip: r.ip,
      userAgent: r.user_agent,
      occurredAt: new Date(r.occurred_at),
      details: r.details ?? {},
    }));
  }
}
