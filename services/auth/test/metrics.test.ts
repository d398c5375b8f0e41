import {
  createTestDatabase,
  describeWithNats,
  testNatsUrl,
  waitFor,
  type TestDatabase,
} from '@usher/testkit';
import { issueFor, newUserId, startReplica, testConfig, type Replica } from './helpers';

// /metrics of the auth service (USHER_AUTH_METRICS_PORT): gRPC by method and code, active sessions,
// revocation fan-out lag by path, process metrics.
const scrape = async (r: Replica) => (await fetch(`http://127.0.0.1:${r.handle.httpPort}/metrics`)).text();

/** The value of one series; `labels` must all appear in its label set. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('authmetrics');
});
afterAll(async () => db?.drop());

describe('auth /metrics', () => {
  let a: Replica; // revokes
  let b: Replica; // hears revocations over NATS only (its poll is too slow to matter)
  let c: Replica; // no NATS: hears them through the PostgreSQL poll

  beforeAll(async () => {
    if ((await describeWithNats()) === describe.skip) return;
    const base = testConfig(db.url);
    [a, b, c] = await Promise.all([
      startReplica({ ...base, natsUrl: testNatsUrl(), revocationPollMs: 60_000 }),
      startReplica({ ...base, natsUrl: testNatsUrl(), revocationPollMs: 60_000 }),
      startReplica({ ...base, natsUrl: '', revocationPollMs: 100 }),
    ]);
    await waitFor(
      async () =>
        sample(await scrape(a), 'usher_auth_nats_connected') === 1 &&
        sample(await scrape(b), 'usher_auth_nats_connected') === 1,
      10_000,
      50,
    );
  });
  afterAll(async () => Promise.all([a?.stop(), b?.stop(), c?.stop()]));

  it('counts live sessions, gRPC calls by method and code, and revocation lag by the path that delivered it', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const kept = await issueFor(a.rpc, user);
    const revoked = await issueFor(a.rpc, user);
    await expect(a.rpc.authenticate('not-a-token')).rejects.toThrow();

    // counted on a replica's first scrape (then cached for a few seconds); C has not been scraped yet
    const first = await scrape(c);
    expect(sample(first, 'usher_auth_active_sessions')).toBe(2);

    await a.rpc.revokeSession({ session_id: revoked.session_id });
    const lagCount = (r: Replica, via: string) =>
      scrape(r).then((t) => sample(t, 'usher_auth_revocation_lag_seconds_count', { via }) ?? 0);
    await waitFor(async () => (await lagCount(b, 'nats')) === 1, 5000, 20);
    await waitFor(async () => (await lagCount(c, 'poll')) === 1, 5000, 20);
    const bText = await scrape(b);
    // one second is the promise of DESIGN.md; NATS usually does it in a few ms
    expect(sample(bText, 'usher_auth_revocation_lag_seconds_bucket', { via: 'nats', le: '1' })).toBe(1);
    expect(await lagCount(b, 'poll')).toBe(0); // the slow poll would find it held already
    // the replica that revoked applied it at once: that is not fan-out
    expect(await lagCount(a, 'nats')).toBe(0);
    expect(await lagCount(a, 'poll')).toBe(0);

    const aText = await scrape(a);
    expect(sample(aText, 'usher_grpc_requests_total', { method: 'Issue', code: 'OK' })).toBe(2);
    expect(
      sample(aText, 'usher_grpc_requests_total', { method: 'Authenticate', code: 'UNAUTHENTICATED' }),
    ).toBe(1);
    expect(sample(aText, 'usher_grpc_request_duration_seconds_count', { method: 'RevokeSession' })).toBe(1);
    expect(sample(aText, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(aText, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(aText).toContain(`instance="${a.handle.instanceId}"`);
    expect(kept.session_id).toBeTruthy();
  });
});
