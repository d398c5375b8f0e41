import crypto from 'crypto';
import { execFile } from 'child_process';
import jwt from 'jsonwebtoken';
import { createVerifier, type AuthClient, type Verifier } from '@usher/auth-client';
import { createTestDatabase, freePort, testNatsUrl, waitFor, type TestDatabase } from '@usher/testkit';
import {
  authClientFor,
  clientErrorOf,
  createKeyFor,
  issueFor,
  newUserId,
  startReplica,
  testConfig,
  type Replica,
} from './helpers';

// Issue 15 §2/§4: local verification with revocations pushed over WatchRevocations, fail-closed.
const WITHIN_MS = 1000;

/** Resolves once `verifier` refuses `token` (401), failing if that takes longer than WITHIN_MS. */
const refusedWithin = (verifier: Verifier, token: string) =>
  waitFor(
    async () => {
      try {
        await verifier.authenticate(token);
        return false;
      } catch (err) {
        return (err as { kind?: string }).kind === 'unauthenticated';
      }
    },
    WITHIN_MS,
    10,
  );

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('authverifier');
});
afterAll(async () => db?.drop());

describe.each([
  ['NATS up', () => testNatsUrl()],
  // NATS unreachable: only the PostgreSQL poll carries revocations between the replicas
  ['NATS down (PostgreSQL poll)', async () => `nats://127.0.0.1:${await freePort()}`],
])('a verifier streaming from replica B, revocations made through replica A (%s)', (_name, natsUrl) => {
  let a: Replica;
  let b: Replica;
  let clientB: AuthClient;
  let verifier: Verifier;

  beforeAll(async () => {
    const config = testConfig(db.url, { natsUrl: await natsUrl(), revocationPollMs: 200 });
    [a, b] = await Promise.all([startReplica(config), startReplica(config)]);
    clientB = authClientFor(b);
    verifier = createVerifier(clientB, { issuer: config.issuer });
    expect(await verifier.ready(10_000)).toBe(true);
  });
  afterAll(async () => {
    verifier?.close();
    clientB?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('verifies a token locally and refuses it within 1 s of a session revoke (sign-out) on A', async () => {
    const pair = await issueFor(a.rpc, newUserId(), 'ROLE_ADMIN');
    const p = await verifier.authenticate(pair.access_token);
    expect(p).toMatchObject({
      userId: pair.user_id,
      role: 'admin',
      sessionId: pair.session_id,
      kind: 'access',
    });
    expect(verifier.local).toBe(true);
    await a.rpc.revokeSession({ session_id: pair.session_id });
    await refusedWithin(verifier, pair.access_token);
    expect(verifier.local).toBe(true); // refused from its own view, not by asking auth
  });

  it('refuses every token of a user within 1 s of a user-wide revoke (disable, role or password change)', async () => {
    const user = newUserId();
    const [one, two] = [await issueFor(a.rpc, user), await issueFor(a.rpc, user)];
    await verifier.authenticate(one.access_token);
    await a.rpc.revokeUserSessions({ user_id: user, reason: 'disabled' });
    await refusedWithin(verifier, one.access_token);
    await refusedWithin(verifier, two.access_token);
  });

  it('sends API keys to Authenticate, so a revoked key is refused', async () => {
    const user = newUserId();
    const { api_key, key } = await createKeyFor(a.rpc, user);
    await expect(verifier.authenticate(key)).resolves.toMatchObject({ kind: 'api_key', userId: user });
    await a.rpc.revokeApiKey({ id: api_key.id, user_id: user });
    await refusedWithin(verifier, key);
  });

  it('answers an unknown kid with a plain 401, also on a second try within a second (issue 16)', async () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = jwt.sign(
      { sub: newUserId(), sid: 's', jti: 'j', type: 'access', role: 'owner', verified: true },
      privateKey,
      { algorithm: 'ES256', keyid: 'no-such-kid', issuer: 'usher', expiresIn: 60 },
    );
    for (let i = 0; i < 3; i++) {
      const err = await clientErrorOf(verifier.authenticate(forged));
      expect(err.kind).toBe('unauthenticated');
    }
  });

  it('refuses alg none, HS256 and a token signed by another key under a known kid', async () => {
    const pair = await issueFor(a.rpc, newUserId());
    const [h, payload] = pair.access_token.split('.');
    const kid = (JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid: string }).kid;
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${payload}.`;
    const hs = jwt.sign(claims, 'secret', { algorithm: 'HS256', keyid: kid });
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = jwt.sign(claims, privateKey, { algorithm: 'ES256', keyid: kid });
    for (const token of [none, hs, other])
      expect((await clientErrorOf(verifier.authenticate(token))).kind).toBe('unauthenticated');
  });
});

describe('fail closed: the stream server dies', () => {
  let a: Replica;
  let b: Replica;
  let clientA: AuthClient;
  let clientB: AuthClient;

  beforeAll(async () => {
    const config = testConfig(db.url, {
      natsUrl: `nats://127.0.0.1:${await freePort()}`,
      revocationPollMs: 200,
    });
    [a, b] = await Promise.all([startReplica(config), startReplica(config)]);
    [clientA, clientB] = [authClientFor(a), authClientFor(b)];
  });
  afterAll(async () => {
    clientA?.close();
    clientB?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('falls back to Authenticate on A when B (its stream) is killed, and never accepts a revoked token', async () => {
    // streams from B, asks A when it cannot vouch for its own view
    const verifier = createVerifier({ ...clientA, watchRevocations: () => clientB.watchRevocations() });
    try {
      expect(await verifier.ready(10_000)).toBe(true);
      const live = await issueFor(a.rpc, newUserId());
      const revoked = await issueFor(a.rpc, newUserId());
      await b.stop();
      await waitFor(async () => !verifier.local, 3000, 10);
      await a.rpc.revokeSession({ session_id: revoked.session_id });
      // no stream to hear it from: only the fallback can refuse it
      expect((await clientErrorOf(verifier.authenticate(revoked.access_token))).kind).toBe('unauthenticated');
      await expect(verifier.authenticate(live.access_token)).resolves.toMatchObject({ userId: live.user_id });
      expect(verifier.local).toBe(false);
    } finally {
      verifier.close();
    }
  });

  it('answers unavailable (a 503 for requireAuth) when auth is unreachable too', async () => {
    const pair = await issueFor(a.rpc, newUserId());
    const verifier = createVerifier(clientA);
    try {
      expect(await verifier.ready(10_000)).toBe(true);
      await a.stop();
      await waitFor(async () => !verifier.local, 3000, 10);
      expect((await clientErrorOf(verifier.authenticate(pair.access_token))).kind).toBe('unavailable');
    } finally {
      verifier.close();
    }
  });
});

describe('over HTTP: JWKS and the gateway check', () => {
  let a: Replica;
  let base: string;
  beforeAll(async () => {
    a = await startReplica(testConfig(db.url, { natsUrl: `nats://127.0.0.1:${await freePort()}` }));
    base = `http://127.0.0.1:${a.handle.httpPort}`;
  });
  afterAll(async () => a?.stop());

  it('serves the verifying public keys with a short max-age and no private parts', async () => {
    const res = await fetch(`${base}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=60\b/);
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    const grpcKeys = await a.rpc.jwks();
    expect(body.keys.map((k) => k.kid).sort()).toEqual(grpcKeys.keys.map((k) => k.kid).sort());
    for (const k of body.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k).not.toHaveProperty('d');
    }
  });

  it("verifies Usher access tokens with jose's createRemoteJWKSet (another stack's view)", async () => {
    const pair = await issueFor(a.rpc, newUserId(), 'ROLE_EDITOR');
    // jose is ESM-only: run it as a separate Node program, as a service in another stack would
    const script = `
      import { createRemoteJWKSet, jwtVerify } from 'jose';
      const jwks = createRemoteJWKSet(new URL(process.argv[1]));
      const { payload, protectedHeader } = await jwtVerify(process.argv[2], jwks, { issuer: 'usher', algorithms: ['ES256'] });
      let tampered = 'accepted';
      try { await jwtVerify(process.argv[2].slice(0, -4) + 'AAAA', jwks, { algorithms: ['ES256'] }); } catch { tampered = 'refused'; }
      console.log(JSON.stringify({ sub: payload.sub, role: payload.role, alg: protectedHeader.alg, tampered }));`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script, `${base}/.well-known/jwks.json`, pair.access_token],
        { cwd: __dirname, timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(out)).toEqual({ sub: pair.user_id, role: 'editor', alg: 'ES256', tampered: 'refused' });
  });

  it('GET /auth/verify: 200 with the X-Usher headers for a valid token, 401 without, forged or revoked', async () => {
    const pair = await issueFor(a.rpc, newUserId(), 'ROLE_ADMIN');
    const check = (authorization?: string) =>
      fetch(`${base}/auth/verify`, { headers: authorization ? { authorization } : {} });
    const ok = await check(`Bearer ${pair.access_token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-usher-user-id')).toBe(pair.user_id);
    expect(ok.headers.get('x-usher-role')).toBe('admin');
    expect(ok.headers.get('x-usher-session-id')).toBe(pair.session_id);
    expect((await check()).status).toBe(401);
    expect((await check('Bearer not.a.token')).status).toBe(401);
    expect((await check(`Basic ${pair.access_token}`)).status).toBe(401);
    await a.rpc.revokeSession({ session_id: pair.session_id });
    const refused = await check(`Bearer ${pair.access_token}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-usher-user-id')).toBeNull();
  });
});
