import { createLogger, createRegistry } from '@usher/telemetry';
import { RevocationCache } from '../domain/revocation-cache';
import type { RevocationEntry, RevocationRepository } from '../domain/repositories';
import { RevocationSync } from '../domain/revocation-sync';
import { RevocationLag } from './revocation-lag';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function lagSeries(registry: ReturnType<typeof createRegistry>) {
  const metric = (await registry.getMetricsAsJSON()).find(
    (m) => m.name === 'usher_auth_revocation_lag_seconds',
  );
  const values = (
    metric as { values: { metricName?: string; labels: Record<string, unknown>; value: number }[] }
  ).values;
  const of = (via: string, suffix: string) =>
    values.find((v) => v.metricName === `usher_auth_revocation_lag_seconds_${suffix}` && v.labels.via === via)
      ?.value ?? 0;
  return {
    nats: { count: of('nats', 'count'), sum: of('nats', 'sum') },
    poll: { count: of('poll', 'count') },
  };
}

describe('RevocationLag', () => {
  const now = 1_700_000_000_000;

  it('observes each revocation once, when it first arrives, and never what the replica already holds', async () => {
    const registry = createRegistry('auth');
    const cache = new RevocationCache(3_600_000, () => now);
    const lag = new RevocationLag(registry, cache, () => now);
    const session: RevocationEntry = { seq: 1, kind: 'session', subject: id(1), at: now - 250 };
    const user: RevocationEntry = { seq: 2, kind: 'user', subject: id(2), at: now - 750 };
    const local: RevocationEntry = { seq: 3, kind: 'api_key', subject: id(3), at: now - 10 };
    cache.apply([local]); // revoked through this replica: applied at once, not fan-out

    lag.observe('nats', [session, user, local]);
    cache.apply([session, user, local]);
    lag.observe('poll', [session, user, local]); // the poll brings them again: already held

    const s = await lagSeries(registry);
    expect(s.nats.count).toBe(2);
    expect(s.nats.sum).toBeCloseTo(1.0, 5);
    expect(s.poll.count).toBe(0);
  });

  it('never observes a negative lag when the revoking replica clock runs ahead', async () => {
    const registry = createRegistry('auth');
    const lag = new RevocationLag(registry, new RevocationCache(3_600_000, () => now), () => now);
    lag.observe('nats', [{ seq: 1, kind: 'session', subject: id(1), at: now + 5000 }]);
    expect((await lagSeries(registry)).nats).toEqual({ count: 1, sum: 0 });
  });

  it('measures what the poll delivers through the repository it reads', async () => {
    const registry = createRegistry('auth');
    const cache = new RevocationCache(3_600_000);
    const lag = new RevocationLag(registry, cache);
    const visible: RevocationEntry[] = [];
    const repo = {
      recent: async () => ({ entries: [], horizon: '0' }),
      after: async (cursor: { seq: number }) => ({
        entries: visible.filter((e) => e.seq > cursor.seq),
        horizon: '1',
      }),
    } as unknown as RevocationRepository;
    const sync = new RevocationSync(lag.polled(repo), cache, {
      pollMs: 1000,
      windowMs: 3_600_000,
      logger: createLogger({ service: 'auth', level: 'silent' }),
    });
    await sync.load();
    visible.push({ seq: 1, kind: 'session', subject: id(1), at: Date.now() - 100 });
    await sync.poll();
    await sync.poll();
    expect(cache.isSessionRevoked(id(1))).toBe(true);
    expect((await lagSeries(registry)).poll.count).toBe(1);
  });
});
