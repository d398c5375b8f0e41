import crypto from 'crypto';
import { Client } from 'pg';
import { kekId, type AuthConfig } from '@usher/config';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import { startAuthService } from '../src/app';
import { captureLogger, issueFor, peek, startReplica, testConfig, type Replica } from './helpers';

// Signing private keys at rest: sealed under USHER_AUTH_KEY_ENCRYPTION_KEY (AES-256-GCM envelope).

async function storedKeys(url: string): Promise<{ kid: string; private_key: string }[]> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query('SELECT kid, private_key FROM auth.signing_keys ORDER BY created_at')).rows;
  } finally {
    await pg.end();
  }
}

const withKek = (url: string, current?: Buffer, previous: Buffer[] = []): AuthConfig =>
  testConfig(url, { keyEncryption: { current, previous } });

/** What a start that must fail rejects with. */
async function startError(config: AuthConfig): Promise<Error> {
  const { logger } = captureLogger();
  try {
    const handle = await startAuthService(config, { logger, drainTimeoutMs: 1000 });
    await handle.stop();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the auth service started');
}

describe('signing keys encrypted at rest', () => {
  let db: TestDatabase;
  let replica: Replica | undefined;
  const kekA = crypto.randomBytes(32);
  const kekB = crypto.randomBytes(32);

  beforeAll(async () => {
    db = await createTestDatabase('authkek');
  });
  afterEach(async () => {
    await replica?.stop();
    replica = undefined;
  });
  afterAll(async () => {
    await db?.drop();
  });

  let firstKid = '';
  let earlyToken = '';

  it('stores plaintext PEM without a KEK (development), then encrypts it on the first start with one', async () => {
    replica = await startReplica(withKek(db.url));
    earlyToken = (await issueFor(replica.rpc)).access_token;
    await replica.stop();
    replica = undefined;
    const before = await storedKeys(db.url);
    expect(before).toHaveLength(1);
    expect(before[0]!.private_key).toContain('BEGIN PRIVATE KEY');
    firstKid = before[0]!.kid;

    replica = await startReplica(withKek(db.url, kekA));
    const after = await storedKeys(db.url);
    expect(after.map((r) => r.kid)).toEqual([firstKid]);
    expect(after[0]!.private_key.startsWith(`usher-kek:v1:${kekId(kekA)}:`)).toBe(true);
    expect(after[0]!.private_key).not.toContain('PRIVATE KEY');
    // the same key: a token signed before the migration still verifies, new ones are signed with it
    await expect(replica.rpc.authenticate(earlyToken)).resolves.toMatchObject({
      user_id: expect.any(String),
    });
    expect(peek((await issueFor(replica.rpc)).access_token).header.kid).toBe(firstKid);
    expect(
      replica.lines.some((l) => l.msg === 'signing keys encrypted under the current key-encryption key'),
    ).toBe(true);
  });

  it('new keys (rotation) are stored sealed, and no row holds a PEM', async () => {
    replica = await startReplica(withKek(db.url, kekA));
    const { kid } = await replica.rpc.rotate();
    const rows = await storedKeys(db.url);
    expect(rows.map((r) => r.kid)).toContain(kid);
    for (const row of rows) {
      expect(row.private_key).not.toMatch(/BEGIN|PRIVATE KEY|MII/);
      expect(row.private_key.startsWith(`usher-kek:v1:${kekId(kekA)}:`)).toBe(true);
    }
    expect(peek((await issueFor(replica.rpc)).access_token).header.kid).toBe(kid);
  });

  it('a wrong KEK fails to start with a message naming the variables, never the key', async () => {
    const err = await startError(withKek(db.url, kekB));
    expect(err.message).toMatch(/cannot decrypt signing key/);
    expect(err.message).toMatch(/USHER_AUTH_KEY_ENCRYPTION_KEY/);
    expect(err.message).toContain(kekId(kekA)); // the id of the KEK the rows need
    for (const secret of [kekA, kekB])
      for (const enc of ['hex', 'base64', 'base64url'] as const)
        expect(err.message).not.toContain(secret.toString(enc));
  });

  it('sealed keys without any KEK fail to start, naming the missing variable', async () => {
    const err = await startError(withKek(db.url));
    expect(err.message).toMatch(/encrypted at rest but USHER_AUTH_KEY_ENCRYPTION_KEY is not set/);
  });

  it('a stored envelope copied onto another key does not open (bound to its kid)', async () => {
    const rows = await storedKeys(db.url);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await pg.query('BEGIN');
      await pg.query('UPDATE auth.signing_keys SET private_key = $1 WHERE kid = $2', [
        rows[1]!.private_key,
        rows[0]!.kid,
      ]);
      await pg.query('COMMIT');
      const err = await startError(withKek(db.url, kekA));
      expect(err.message).toMatch(/cannot decrypt signing key/);
    } finally {
      await pg.query('UPDATE auth.signing_keys SET private_key = $1 WHERE kid = $2', [
        rows[0]!.private_key,
        rows[0]!.kid,
      ]);
      await pg.end();
    }
  });

  it('KEK rotation: the new KEK with the old one as previous re-encrypts every key on start', async () => {
    const tokenA = await (async () => {
      const r = await startReplica(withKek(db.url, kekA));
      try {
        return (await issueFor(r.rpc)).access_token;
      } finally {
        await r.stop();
      }
    })();

    replica = await startReplica(withKek(db.url, kekB, [kekA]));
    const rows = await storedKeys(db.url);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.private_key.startsWith(`usher-kek:v1:${kekId(kekB)}:`)).toBe(true);
    await expect(replica.rpc.authenticate(tokenA)).resolves.toBeDefined();
    await replica.stop();
    replica = undefined;

    // the old KEK can now be dropped; and it alone no longer opens anything
    replica = await startReplica(withKek(db.url, kekB));
    await expect(replica.rpc.authenticate(tokenA)).resolves.toBeDefined();
    await expect(replica.rpc.authenticate((await issueFor(replica.rpc)).access_token)).resolves.toBeDefined();
    await replica.stop();
    replica = undefined;
    expect((await startError(withKek(db.url, kekA))).message).toMatch(/cannot decrypt signing key/);
  });

  it('never logs key material', async () => {
    replica = await startReplica(withKek(db.url, kekB));
    await issueFor(replica.rpc);
    await replica.rpc.rotate();
    const logged = JSON.stringify(replica.lines);
    expect(logged).not.toMatch(/PRIVATE KEY|usher-kek:v1/);
    for (const secret of [kekA, kekB])
      for (const enc of ['hex', 'base64', 'base64url'] as const)
        expect(logged).not.toContain(secret.toString(enc));
  });
});
