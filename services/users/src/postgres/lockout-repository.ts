import type { LockoutStore, LockPolicy, LockState } from '../ports';
import type { Transactor } from './tx';

// A window is over when it started longer than windowMs ago or when its lock has run out.
const EXPIRED = `(a.window_started_at < now() - $3 * interval '1 millisecond' or a.locked_until <= now())`;
const LOCKED = `(a.locked_until > now())`;

/** Failed sign-in counters in PostgreSQL: they hold across replicas and restarts. */
export class PostgresLockout implements LockoutStore {
  constructor(private readonly tx: Transactor) {}

  async lockedUntil(key: string): Promise<Date | null> {
    const rows: { locked_until: Date }[] = await this.tx
      .manager()
      .query(`select locked_until from login_attempts where key = $1 and locked_until > now()`, [key]);
    return rows[0]?.locked_until ?? null;
  }

  /**
   * One atomic upsert (the row lock serialises concurrent attempts): a locked key stays as it is,
   * an expired window starts over at 1, otherwise the count goes up and passing the threshold locks.
   */
  async reserve(key: string, policy: LockPolicy): Promise<LockState> {
    const rows: { failures: number; locked_until: Date | null }[] = await this.tx.manager().query(
      `insert into login_attempts as a (key, failures, window_started_at, locked_until)
       values ($1, 1, now(), case when 1 > $2 then now() + $4 * interval '1 millisecond' end)
       on conflict (key) do update set
         failures = case when ${LOCKED} then a.failures when ${EXPIRED} then 1 else a.failures + 1 end,
         window_started_at = case when ${LOCKED} then a.window_started_at
                                  when ${EXPIRED} then now() else a.window_started_at end,
         locked_until = case when ${LOCKED} then a.locked_until
                             when ${EXPIRED} then null
                             when a.failures + 1 > $2 then now() + $4 * interval '1 millisecond'
                             else null end
       returning failures, locked_until`,
      [key, policy.threshold, policy.windowMs, policy.durationMs],
    );
    const row = rows[0]!;
    // A locked row stops counting, so only the reservation that passed the threshold sees this.
    const started = row.locked_until !== null && row.failures === policy.threshold + 1;
    return { failures: row.failures, lockedUntil: row.locked_until, started };
  }

  async recordFailure(key: string, attempt: number, policy: LockPolicy): Promise<LockState> {
    if (attempt < policy.threshold) return { failures: attempt, lockedUntil: null, started: false };
    const rows: { locked_until: Date }[] = await this.tx.manager().query(
      // wrapped in a select: TypeORM answers a bare UPDATE ... RETURNING as [rows, count]
      `with locked as (
         update login_attempts set locked_until = now() + $2 * interval '1 millisecond'
         where key = $1 and (locked_until is null or locked_until <= now())
         returning locked_until)
       select locked_until from locked`,
      [key, policy.durationMs],
    );
    if (rows[0]) return { failures: attempt, lockedUntil: rows[0].locked_until, started: true };
    return { failures: attempt, lockedUntil: await this.lockedUntil(key), started: false };
  }

  async clear(key: string): Promise<void> {
    await this.tx.manager().query(`delete from login_attempts where key = $1`, [key]);
  }
}
