import type { UsersInstance } from '../harness';

/** The value of one series of a Prometheus text page; `labels` must all appear in its label set. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

/** Reads one counter of a users instance's metrics page. */
export async function counter(users: UsersInstance, name: string): Promise<number> {
  const res = await fetch(`${users.handle.metricsUrl ?? users.url}/metrics`);
  return sample(await res.text(), name) ?? 0;
}
