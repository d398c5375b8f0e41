import * as grpc from '@grpc/grpc-js';
import {
  createTestDatabase,
  describeWithNats,
  freePort,
  testNatsUrl,
  waitFor,
  type TestDatabase,
} from '@usher/testkit';
import { codeOf, issueFor, newUserId, startReplica, testConfig, type Replica } from './helpers';
import { natsServerBinary, startNatsServer, type PrivateNats } from '@usher/testkit';

// How quickly a revocation through one replica must be refused by another (DESIGN.md).
const WITHIN_MS = 1000;
// A poll interval long enough that only NATS can deliver within WITHIN_MS.
const NO_POLL_MS = 60_000;

/** Resolves once `replica` refuses `token`, failing if that takes longer than `ms`. */
const refusedWithin = (replica: Replica, token: string, ms: number) =>
  waitFor(
    async () => (await codeOf(replica.rpc.authenticate(token))) === grpc.status.UNAUTHENTICATED,
    ms,
    20,
  );

const metric = async (r: Replica, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${r.handle.httpPort}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('authreplicas');
});
afterAll(async () => db?.drop());

describe('two replicas, NATS fan-out', () => {
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    // jest cannot register describe blocks after an await, so the skip decision happens here
    if ((await describeWithNats()) === describe.skip) return;
    const config = testConfig(db.url, { natsUrl: testNatsUrl(), revocationPollMs: NO_POLL_MS });
    [a, b] = await Promise.all([startReplica(config), startReplica(config)]);
    await waitFor(
      async () =>
        (await metric(a, 'usher_auth_nats_connected')) === 1 &&
        (await metric(b, 'usher_auth_nats_connected')) === 1,
      10_000,
      50,
    );
  });
  afterAll(async () => Promise.all([a?.stop(), b?.stop()]));

  it('a session revoked through A is refused by B within 1 s (NATS only: B does not poll)', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const pair = await issueFor(a.rpc, newUserId());
    await expect(b.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
    await a.rpc.revokeSession({ session_id: pair.session_id });
    await refusedWithin(b, pair.access_token, WITHIN_MS);
  });

  it('RevokeUserSessions with except keeps that one session alive everywhere', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const [keep, drop1, drop2] = await Promise.all([
      issueFor(a.rpc, user),
      issueFor(b.rpc, user),
      issueFor(a.rpc, user),
    ]);
    expect(await a.rpc.revokeUserSessions({ user_id: user, except_session_id: keep!.session_id })).toEqual({
      revoked: 2,
    });
    await refusedWithin(b, drop1!.access_token, WITHIN_MS);
    await refusedWithin(b, drop2!.access_token, WITHIN_MS);
    await expect(b.rpc.authenticate(keep!.access_token)).resolves.toMatchObject({
      session_id: keep!.session_id,
    });
    await expect(a.rpc.refresh({ refresh_token: keep!.refresh_token })).resolves.toBeDefined();
    expect((await b.rpc.listSessions(user)).sessions.map((s) => s.id)).toEqual([keep!.session_id]);
  });

  it('RevokeUserSessions (all) reaches B; a sign-in right after still works on B', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const old = await issueFor(b.rpc, user);
    await a.rpc.revokeUserSessions({ user_id: user });
    const fresh = await issueFor(a.rpc, user);
    await refusedWithin(b, old.access_token, WITHIN_MS);
    await expect(b.rpc.authenticate(fresh.access_token)).resolves.toMatchObject({
      session_id: fresh.session_id,
    });
  });
});

describe('NATS down: the PostgreSQL poll still spreads revocations', () => {
  const binary = natsServerBinary();
  let nats: PrivateNats | undefined;
  let natsPort: number;
  let a: Replica;
  let c: Replica;
  const POLL_MS = 500;

  beforeAll(async () => {
    natsPort = await freePort();
    if (!binary) console.warn('nats-server binary not found: replicas point at a dead NATS port instead');
    // started before their NATS exists: startup must not block on it
    const url = `nats://127.0.0.1:${natsPort}`;
    [a, c] = await Promise.all([
      startReplica(testConfig(db.url, { natsUrl: url, revocationPollMs: NO_POLL_MS })),
      startReplica(testConfig(db.url, { natsUrl: url, revocationPollMs: POLL_MS })),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), c?.stop()]);
    await nats?.stop();
  });

  it('starts without NATS, warns clearly, and connects once NATS appears', async () => {
    for (const r of [a, c]) {
      await waitFor(
        () => r.lines.some((l) => l.level === 'warn' && /NATS is unreachable/.test(String(l.msg))),
        5000,
      );
    }
    if (!binary) return;
    nats = await startNatsServer(binary, natsPort);
    await waitFor(
      async () =>
        (await metric(a, 'usher_auth_nats_connected')) === 1 &&
        (await metric(c, 'usher_auth_nats_connected')) === 1,
      10_000,
      50,
    );
    expect(a.lines.some((l) => /NATS reachable again/.test(String(l.msg)))).toBe(true);
    const pair = await issueFor(c.rpc, newUserId());
    await a.rpc.revokeSession({ session_id: pair.session_id });
    await refusedWithin(c, pair.access_token, WITHIN_MS);
  });

  it('with NATS stopped, a revocation through A is refused by C within the poll interval', async () => {
    await nats?.stop();
    if (binary)
      await waitFor(
        async () =>
          (await metric(a, 'usher_auth_nats_connected')) === 0 ||
          !!a.lines.find((l) => /NATS disconnected/.test(String(l.msg))),
        5000,
        50,
      );
    const pair = await issueFor(a.rpc, newUserId());
    await expect(c.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
    await a.rpc.revokeSession({ session_id: pair.session_id });
    await refusedWithin(c, pair.access_token, POLL_MS + 500);

    const user = newUserId();
    const other = await issueFor(c.rpc, user);
    await a.rpc.revokeUserSessions({ user_id: user });
    await refusedWithin(c, other.access_token, POLL_MS + 500);
    // the revoking replica itself knows at once
    expect(await codeOf(a.rpc.authenticate(other.access_token))).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('a replica started after a revocation loads it at startup', async () => {
    const pair = await issueFor(a.rpc, newUserId());
    await a.rpc.revokeSession({ session_id: pair.session_id });
    const late = await startReplica(testConfig(db.url, { revocationPollMs: NO_POLL_MS }));
    try {
      expect(await codeOf(late.rpc.authenticate(pair.access_token))).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      await late.stop();
    }
  });
});
