import type { DataSource } from 'typeorm';

/** Live sessions of all users: not revoked, not past their absolute end, used within the idle timeout. */
export async function countActiveSessions(ds: DataSource, idleMs: number): Promise<number> {
  const rows = (await ds.query(
    `SELECT count(*)::int AS n FROM auth.sessions
     WHERE revoked_at IS NULL AND expires_at > now() AND last_used_at > now() - $1 * interval '1 millisecond'`,
    [idleMs],
  )) as { n: number }[];
  return rows[0]?.n ?? 0;
}
