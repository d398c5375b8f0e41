import * as grpc from '@grpc/grpc-js';
import { connect } from 'nats';
import { Client } from 'pg';
import {
  adminDbUrl,
  createTestDatabase,
  freePort,
  natsServerBinary,
  startNatsServer,
  testNatsUrl,
  describeWithNats,
  waitFor,
  type PrivateNats,
  type TestDatabase,
} from '@usher/testkit';
import {
  codeOf,
  healthCheck,
  issueFor,
  newUserId,
  sleep,
  startReplica,
  testConfig,
  type Replica,
} from './helpers';

// Issue 15 §3: revocation inside auth fails closed, never skips a late commit, and clamps dates.

const metric = async (r: Replica, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${r.handle.httpPort}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
};

/** Keeps every new connection out of `db` and cuts the open ones: the poll fails from now on. */
async function cutDatabase(db: TestDatabase, allow: boolean): Promise<void> {
  const admin = new Client({ connectionString: adminDbUrl() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    if (!allow)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [db.name],
      );
  } finally {
    await admin.end();
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('authfailclosed');
});
afterAll(async () => {
  await cutDatabase(db, true).catch(() => undefined);
  await db?.drop();
});

describe('the PostgreSQL poll never skips a revocation that commits late', () => {
  let a: Replica;
  beforeAll(async () => {
    a = await startReplica(testConfig(db.url, { natsUrl: '', revocationPollMs: 100 }));
  });
  afterAll(async () => a?.stop());

  it('applies a revocation committed 11 s after a later one (past the old 10 s gap grace)', async () => {
    const victim = await issueFor(a.rpc, newUserId());
    const other = await issueFor(a.rpc, newUserId());
    // a second writer (as another replica would be) takes its seq first, and commits last
    const slow = new Client({ connectionString: db.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO auth.revocations (kind, subject, at) VALUES ('session', $1, now())`, [
        victim.session_id,
      ]);
      await a.rpc.revokeSession({ session_id: other.session_id }); // a higher seq, committed at once
      await waitFor(
        async () => (await codeOf(a.rpc.authenticate(other.access_token))) === grpc.status.UNAUTHENTICATED,
      );
      await sleep(11_000);
      await expect(a.rpc.authenticate(victim.access_token)).resolves.toBeDefined(); // not committed yet
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    await waitFor(
      async () => (await codeOf(a.rpc.authenticate(victim.access_token))) === grpc.status.UNAUTHENTICATED,
      5_000,
      50,
    );
  }, 60_000);
});

describe('without NATS, a replica whose poll is stale fails closed', () => {
  let a: Replica;
  beforeAll(async () => {
    // natsUrl '' here: testConfig's USHER_AUTH_ES_URL '' falls back to the default URL
    a = await startReplica(
      testConfig(db.url, { natsUrl: '', revocationPollMs: 100, revocationStalenessMs: 1000 }),
    );
  });
  afterAll(async () => {
    await cutDatabase(db, true);
    await a?.stop();
  });

  it('answers UNAVAILABLE and NOT_SERVING past the bound, and serves again once the poll succeeds', async () => {
    const pair = await issueFor(a.rpc, newUserId());
    await expect(a.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
    expect(await healthCheck(a.handle.grpcPort, 'usher.auth.v1.AuthService')).toBe('SERVING');
    expect(await metric(a, 'usher_auth_revocation_fresh')).toBe(1);

    await cutDatabase(db, false);
    await waitFor(
      async () => (await codeOf(a.rpc.authenticate(pair.access_token))) === grpc.status.UNAVAILABLE,
      10_000,
      50,
    );
    expect(await codeOf(a.rpc.authorize(pair.access_token, 'ROLE_VIEWER'))).toBe(grpc.status.UNAVAILABLE);
    await waitFor(
      async () => (await healthCheck(a.handle.grpcPort, 'usher.auth.v1.AuthService')) === 'NOT_SERVING',
      5_000,
    );
    expect(await healthCheck(a.handle.grpcPort, '')).toBe('NOT_SERVING');
    expect((await fetch(`http://127.0.0.1:${a.handle.httpPort}/ready`)).status).toBe(503);
    expect(await metric(a, 'usher_auth_revocation_fresh')).toBe(0);
    expect(await metric(a, 'usher_auth_revocation_staleness_seconds')).toBeGreaterThan(1);
    expect(a.lines.some((l) => /revocations stale/.test(String(l.msg)))).toBe(true);

    await cutDatabase(db, true);
    await waitFor(
      async () => (await healthCheck(a.handle.grpcPort, 'usher.auth.v1.AuthService')) === 'SERVING',
      15_000,
      100,
    );
    await expect(a.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
    expect(await metric(a, 'usher_auth_revocation_fresh')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${a.handle.httpPort}/ready`)).status).toBe(200);
  }, 60_000);
});

(natsServerBinary() ? describe : describe.skip)(
  'with NATS, a failing poll is not stale until NATS goes too',
  () => {
    let nats: PrivateNats;
    let a: Replica;
    beforeAll(async () => {
      nats = await startNatsServer(natsServerBinary()!, await freePort());
      a = await startReplica(
        testConfig(db.url, { natsUrl: nats.url, revocationPollMs: 100, revocationStalenessMs: 1000 }),
      );
      await waitFor(async () => (await metric(a, 'usher_auth_nats_connected')) === 1, 10_000, 50);
    });
    afterAll(async () => {
      await cutDatabase(db, true);
      await a?.stop();
      await nats?.stop();
    });

    it('keeps serving on NATS alone, then fails closed once NATS is down too', async () => {
      const pair = await issueFor(a.rpc, newUserId());
      await cutDatabase(db, false);
      await sleep(2_000); // twice the bound without a good poll
      await expect(a.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
      expect(await metric(a, 'usher_auth_revocation_staleness_seconds')).toBe(0);

      await nats.stop();
      await waitFor(
        async () => (await codeOf(a.rpc.authenticate(pair.access_token))) === grpc.status.UNAVAILABLE,
        10_000,
        50,
      );
      await waitFor(async () => (await healthCheck(a.handle.grpcPort, '')) === 'NOT_SERVING', 5_000);
    }, 60_000);
  },
);

describe('a revocation message dated in the future', () => {
  let a: Replica;
  beforeAll(async () => {
    if ((await describeWithNats()) === describe.skip) return;
    a = await startReplica(testConfig(db.url, { natsUrl: testNatsUrl() }));
    await waitFor(async () => (await metric(a, 'usher_auth_nats_connected')) === 1, 10_000, 50);
  });
  afterAll(async () => a?.stop());

  it('is clamped to now + the skew bound: a forged one cannot lock a user out until restart', async () => {
    if (!a) return console.warn('skipped: NATS unreachable');
    const user = newUserId();
    const before = await issueFor(a.rpc, user);
    const nc = await connect({ servers: testNatsUrl() });
    try {
      const year = 365 * 24 * 3600 * 1000;
      const forged = {
        origin: 'forger',
        entries: [{ seq: 1, kind: 'user', subject: user, at: Date.now() + year }],
      };
      nc.publish('usher.auth.revocations', JSON.stringify(forged));
      await nc.flush();
    } finally {
      await nc.close();
    }
    await waitFor(
      async () => (await codeOf(a.rpc.authenticate(before.access_token))) === grpc.status.UNAUTHENTICATED,
    );
    await sleep(6_500); // past now + 5 s, to the next whole second
    const after = await issueFor(a.rpc, user);
    await expect(a.rpc.authenticate(after.access_token)).resolves.toMatchObject({ user_id: user });
  }, 60_000);
});
