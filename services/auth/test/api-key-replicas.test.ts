import * as grpc from '@grpc/grpc-js';
import {
  createTestDatabase,
  describeWithNats,
  freePort,
  testNatsUrl,
  waitFor,
  type TestDatabase,
} from '@usher/testkit';
import { codeOf, createKeyFor, newUserId, startReplica, testConfig, type Replica } from './helpers';
import { natsServerBinary, startNatsServer, type PrivateNats } from '@usher/testkit';

// A revoked API key must be refused by every replica within the bounds DESIGN.md sets for sessions,
// even by a replica that verified (and so cached) the key just before.
const WITHIN_MS = 1000;
const NO_POLL_MS = 60_000;
const POLL_MS = 500;

const refusedWithin = (replica: Replica, token: string, ms: number) =>
  waitFor(
    async () => (await codeOf(replica.rpc.authenticate(token))) === grpc.status.UNAUTHENTICATED,
    ms,
    20,
  );

const natsConnected = async (r: Replica) => {
  const text = await (await fetch(`http://127.0.0.1:${r.handle.httpPort}/metrics`)).text();
  return /^usher_auth_nats_connected(?:\{[^}]*\})? 1$/m.test(text);
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('authkeyreplicas');
});
afterAll(async () => db?.drop());

describe('API key revocation, NATS fan-out', () => {
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    if ((await describeWithNats()) === describe.skip) return;
    const config = testConfig(db.url, { natsUrl: testNatsUrl(), revocationPollMs: NO_POLL_MS });
    [a, b] = await Promise.all([startReplica(config), startReplica(config)]);
    await waitFor(async () => (await natsConnected(a)) && (await natsConnected(b)), 10_000, 50);
  });
  afterAll(async () => Promise.all([a?.stop(), b?.stop()]));

  it('a key revoked through A is refused by B within 1 s (B does not poll)', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const { key, api_key } = await createKeyFor(a.rpc, user);
    await expect(b.rpc.authenticate(key)).resolves.toMatchObject({ api_key_id: api_key.id });
    await a.rpc.revokeApiKey({ id: api_key.id, user_id: user });
    await refusedWithin(b, key, WITHIN_MS);
  });

  it('RevokeUserSessions with include_api_keys reaches B within 1 s', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const [one, two] = await Promise.all([createKeyFor(a.rpc, user), createKeyFor(b.rpc, user)]);
    for (const k of [one!, two!]) await expect(b.rpc.authenticate(k.key)).resolves.toBeDefined();
    await a.rpc.revokeUserSessions({ user_id: user, include_api_keys: true });
    await refusedWithin(b, one!.key, WITHIN_MS);
    await refusedWithin(b, two!.key, WITHIN_MS);
  });
});

describe('API key revocation with NATS down: the PostgreSQL poll', () => {
  const binary = natsServerBinary();
  let nats: PrivateNats | undefined;
  let a: Replica;
  let c: Replica;

  beforeAll(async () => {
    const port = await freePort();
    if (binary) nats = await startNatsServer(binary, port);
    else console.warn('nats-server binary not found: replicas point at a dead NATS port instead');
    const url = `nats://127.0.0.1:${port}`;
    [a, c] = await Promise.all([
      startReplica(testConfig(db.url, { natsUrl: url, revocationPollMs: NO_POLL_MS })),
      startReplica(testConfig(db.url, { natsUrl: url, revocationPollMs: POLL_MS })),
    ]);
    if (!nats) return;
    await waitFor(async () => (await natsConnected(a)) && (await natsConnected(c)), 10_000, 50);
    await nats.stop();
    // the client keeps reconnecting (connected stays 1): its disconnect is what says NATS is gone
    const disconnected = (r: Replica) => r.lines.some((l) => /NATS disconnected/.test(String(l.msg)));
    await waitFor(() => disconnected(a) && disconnected(c), 10_000, 50);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), c?.stop()]);
    await nats?.stop();
  });

  it('a key revoked through A is refused by C within the poll interval', async () => {
    const user = newUserId();
    const { key, api_key } = await createKeyFor(a.rpc, user, 'ROLE_ADMIN');
    await expect(c.rpc.authorize(key, 'ROLE_ADMIN')).resolves.toMatchObject({ kind: 'api_key' });
    await a.rpc.revokeApiKey({ id: api_key.id, user_id: user, reason: 'leaked' });
    await refusedWithin(c, key, POLL_MS + 500);
    // the revoking replica itself knows at once
    expect(await codeOf(a.rpc.authenticate(key))).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('a replica started after the revocation refuses the key from the database', async () => {
    const user = newUserId();
    const { key, api_key } = await createKeyFor(a.rpc, user);
    await a.rpc.revokeApiKey({ id: api_key.id, user_id: user });
    const late = await startReplica(testConfig(db.url, { revocationPollMs: NO_POLL_MS }));
    try {
      expect(await codeOf(late.rpc.authenticate(key))).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      await late.stop();
    }
  });
});
