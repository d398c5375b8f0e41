import * as grpc from '@grpc/grpc-js';
import { Client } from 'pg';
import { createTestDatabase, waitFor, type TestDatabase } from '@usher/testkit';
import { codeOf, issueFor, peek, startReplica, testConfig, type Replica } from './helpers';

async function keyRows(url: string) {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query('SELECT kid, retired_at, verify_until FROM auth.signing_keys ORDER BY created_at'))
      .rows;
  } finally {
    await pg.end();
  }
}

describe('signing keys', () => {
  let db: TestDatabase;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    db = await createTestDatabase('authkeys');
    // two replicas racing on an empty database: migrations and the first key are lock-guarded
    [a, b] = await Promise.all([startReplica(testConfig(db.url)), startReplica(testConfig(db.url))]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it('two replicas starting together create exactly one key', async () => {
    const rows = await keyRows(db.url);
    expect(rows).toHaveLength(1);
    const { keys } = await a.rpc.jwks();
    expect(keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: rows[0].kid,
        use: 'sig',
        alg: 'ES256',
      },
    ]);
  });

  it('rotation: old tokens keep verifying, new ones carry the new kid, JWKS lists both', async () => {
    const before = await issueFor(a.rpc);
    const oldKid = String(peek(before.access_token).header.kid);
    // b has loaded the old key only (its periodic reload is 30 s away)
    await expect(b.rpc.authenticate(before.access_token)).resolves.toBeDefined();

    const { kid: newKid } = await a.rpc.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await issueFor(a.rpc);
    expect(peek(after.access_token).header.kid).toBe(newKid);

    await expect(a.rpc.authenticate(before.access_token)).resolves.toBeDefined();
    await expect(a.rpc.authenticate(after.access_token)).resolves.toBeDefined();
    // b has never seen newKid: the unknown kid makes it reload once, then it verifies
    await expect(b.rpc.authenticate(after.access_token)).resolves.toBeDefined();
    await expect(b.rpc.authenticate(before.access_token)).resolves.toBeDefined();

    const kids = (await b.rpc.jwks()).keys.map((k) => k.kid).sort();
    expect(kids).toEqual([oldKid, newKid].sort());

    const rows = await keyRows(db.url);
    const old = rows.find((r) => r.kid === oldKid);
    expect(old.retired_at).not.toBeNull();
    // verifies for at least one access-token lifetime after retirement
    expect(old.verify_until.getTime() - old.retired_at.getTime()).toBeGreaterThanOrEqual(15 * 60 * 1000);
    expect(rows.find((r) => r.kid === newKid).retired_at).toBeNull();
  });

  it('a key past its verification window no longer verifies', async () => {
    const pair = await issueFor(a.rpc);
    const kid = String(peek(pair.access_token).header.kid);
    await a.rpc.rotate();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query(`UPDATE auth.signing_keys SET verify_until = now() - interval '1 second' WHERE kid = $1`, [
      kid,
    ]);
    await pg.end();
    // a fresh replica loads only keys inside their window
    const c = await startReplica(testConfig(db.url));
    try {
      expect(await codeOf(c.rpc.authenticate(pair.access_token))).toBe(grpc.status.UNAUTHENTICATED);
      expect((await c.rpc.jwks()).keys.map((k) => k.kid)).not.toContain(kid);
    } finally {
      await c.stop();
    }
  });
});

describe('scheduled key rotation', () => {
  let db: TestDatabase;
  let auth: Replica;

  beforeAll(async () => {
    db = await createTestDatabase('authrotate');
    auth = await startReplica(testConfig(db.url, { keyRotationMs: 1500 }), { keyReloadMs: 250 });
  });
  afterAll(async () => {
    await auth?.stop();
    await db?.drop();
  });

  it('rotates once the current key is older than the rotation interval', async () => {
    const before = await issueFor(auth.rpc);
    const oldKid = String(peek(before.access_token).header.kid);
    await waitFor(async () => (await auth.rpc.jwks()).keys.length >= 2, 5000, 100);
    const after = await issueFor(auth.rpc);
    expect(peek(after.access_token).header.kid).not.toBe(oldKid);
    await expect(auth.rpc.authenticate(before.access_token)).resolves.toBeDefined();
    expect(auth.lines.some((l) => l.msg === 'signing key rotated (scheduled)')).toBe(true);
  });
});
