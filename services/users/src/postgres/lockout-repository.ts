import type { LockoutStore, LockState } from '../ports';
import type { Transactor } from './tx';

/** Failed sign-in counters in PostgreSQL: they hold across replicas and restarts. */
export class PostgresLockout implements LockoutStore {
  constructor(private readonly tx: Transactor) {}

  async lockedUntil(key: string): Promise<Date | null> {
    const rows: { locked_until: Date }[] = await this.tx
      .manager()
      .query(`select locked_until from login_attempts where key = $1 and locked_until > now()`, [key]);
    return rows[0]?.locked_until ?? null;
  }

  /** One atomic upsert: a new window starts when the old one is over or a lock has expired. */
  async recordFailure(
    key: string,
    policy: { threshold: number; windowMs: number; durationMs: number },
  ): Promise<LockState> {
    const rows: { failures: number; locked_until: Date | null }[] = await this.tx.manager().query(
      `insert into login_attempts as a (key, failures, window_started_at, locked_until)
       values ($1, 1, now(), case when 1 >= $2 then now() + $4 * interval '1 millisecond' end)
       on conflict (key) do update set
         failures = case when a.window_started_at < now() - $3 * interval '1 millisecond'
                           or a.locked_until <= now() then 1 else a.failures + 1 end,
         window_started_at = case when a.window_started_at < now() - $3 * interval '1 millisecond'
                                    or a.locked_until <= now() then now() else a.window_started_at end,
         locked_until = case
           when (case when a.window_started_at < now() - $3 * interval '1 millisecond'
                        or a.locked_until <= now() then 1 else a.failures + 1 end) >= $2
             then now() + $4 * interval '1 millisecond'
           when a.locked_until <= now() then null
           else a.locked_until end
       returning failures, locked_until`,
      [key, policy.threshold, policy.windowMs, policy.durationMs],
    );
    const row = rows[0]!;
    return { failures: row.failures, lockedUntil: row.locked_until };
  }

  async clear(key: string): Promise<void> {
    await this.tx.manager().query(`delete from login_attempts where key = $1`, [key]);
  }
}
