import crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import jwt from 'jsonwebtoken';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import {
  codeOf,
  healthCheck,
  issueFor,
  newUserId,
  peek,
  sleep,
  startReplica,
  testConfig,
  USER,
  type Replica,
} from './helpers';

// Issue / Authenticate / Authorize over a real gRPC socket and a real PostgreSQL.
describe('auth tokens', () => {
  let db: TestDatabase;
  let auth: Replica;

  beforeAll(async () => {
    db = await createTestDatabase('authtokens');
    auth = await startReplica(testConfig(db.url));
  });
  afterAll(async () => {
    await auth?.stop();
    await db?.drop();
  });

  it('issues a pair that authenticates to the user, role, session and expiry', async () => {
    const before = Math.floor(Date.now() / 1000);
    const pair = await issueFor(auth.rpc, USER, 'ROLE_EDITOR');
    expect(pair.access_type).toBe('Bearer');
    expect(pair.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(pair.user_id).toBe(USER);
    expect(pair.refresh_token.length).toBeGreaterThanOrEqual(43);
    expect(pair.access_expires_at).toBeGreaterThanOrEqual(before + 15 * 60 - 1);
    expect(pair.access_expires_at).toBeLessThanOrEqual(before + 15 * 60 + 1);
    expect(pair.refresh_expires_at).toBeGreaterThan(pair.access_expires_at);

    const principal = await auth.rpc.authenticate(pair.access_token);
    expect(principal).toEqual({
      user_id: USER,
      role: 'ROLE_EDITOR',
      session_id: pair.session_id,
      verified: true,
      expires_at: pair.access_expires_at,
      token_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'access',
      api_key_id: '',
    });

    const { header, payload } = peek(pair.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: 'usher',
      sub: USER,
      sid: pair.session_id,
      type: 'access',
      role: 'editor',
      verified: true,
    });
  });

  it('authorizes up to the role and answers PERMISSION_DENIED above it', async () => {
    const pair = await issueFor(auth.rpc, USER, 'ROLE_EDITOR');
    await expect(auth.rpc.authorize(pair.access_token, 'ROLE_VIEWER')).resolves.toMatchObject({
      user_id: USER,
    });
    await expect(auth.rpc.authorize(pair.access_token, 'ROLE_EDITOR')).resolves.toMatchObject({
      role: 'ROLE_EDITOR',
    });
    expect(await codeOf(auth.rpc.authorize(pair.access_token, 'ROLE_ADMIN'))).toBe(
      grpc.status.PERMISSION_DENIED,
    );
    expect(await codeOf(auth.rpc.authorize('garbage', 'ROLE_VIEWER'))).toBe(grpc.status.UNAUTHENTICATED);
  });

  describe('refuses with UNAUTHENTICATED', () => {
    let good: string;
    let kid: string;
    let publicPem: string;

    beforeAll(async () => {
      good = (await issueFor(auth.rpc)).access_token;
      kid = String(peek(good).header.kid);
      const jwk = (await auth.rpc.jwks()).keys.find((k) => k.kid === kid);
      publicPem = crypto
        .createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk!.x, y: jwk!.y }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    });

    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

    it('a tampered token (payload changed, signature kept)', async () => {
      const [h, p, s] = good.split('.');
      const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'owner' };
      expect(await codeOf(auth.rpc.authenticate(`${h}.${encode(payload)}.${s}`))).toBe(
        grpc.status.UNAUTHENTICATED,
      );
      const flipped = s!.slice(0, -2) + (s!.endsWith('AA') ? 'BB' : 'AA');
      expect(await codeOf(auth.rpc.authenticate(`${h}.${p}.${flipped}`))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('an alg:none token', async () => {
      const { payload } = peek(good);
      const token = `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(payload)}.`;
      expect(await codeOf(auth.rpc.authenticate(token))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('a token signed by a key it does not know', async () => {
      const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { payload } = peek(good);
      const token = jwt.sign(payload, privateKey, { algorithm: 'ES256', keyid: 'not-a-known-kid' });
      expect(await codeOf(auth.rpc.authenticate(token))).toBe(grpc.status.UNAUTHENTICATED);
      // same claims, a real kid, the wrong key
      const forged = jwt.sign(payload, privateKey, { algorithm: 'ES256', keyid: kid });
      expect(await codeOf(auth.rpc.authenticate(forged))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('an HS256 token whose secret is the public key', async () => {
      const { payload } = peek(good);
      const token = jwt.sign(payload, publicPem, {
        algorithm: 'HS256',
        keyid: kid,
        allowInsecureKeySizes: true,
      });
      expect(await codeOf(auth.rpc.authenticate(token))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('a refresh token presented as an access token, an empty token and junk', async () => {
      const pair = await issueFor(auth.rpc);
      expect(await codeOf(auth.rpc.authenticate(pair.refresh_token))).toBe(grpc.status.UNAUTHENTICATED);
      expect(await codeOf(auth.rpc.authenticate(''))).toBe(grpc.status.UNAUTHENTICATED);
      expect(await codeOf(auth.rpc.authenticate('a.b.c'))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('an expired token (a replica with a 2 s access lifetime), even one verified before', async () => {
      const short = await startReplica(testConfig(db.url, { accessTtlMs: 2000 }));
      try {
        const pair = await issueFor(short.rpc);
        expect(pair.access_expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(2);
        // verified once while valid: remembered, yet expiry is still checked on every call
        await expect(auth.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
        await sleep(Math.max(0, pair.access_expires_at * 1000 - Date.now() + 50));
        expect(await codeOf(auth.rpc.authenticate(pair.access_token))).toBe(grpc.status.UNAUTHENTICATED);
        expect(await codeOf(short.rpc.authenticate(pair.access_token))).toBe(grpc.status.UNAUTHENTICATED);
      } finally {
        await short.stop();
      }
    });

    it('a token from another issuer signed with the right key is still refused', async () => {
      // read the real private key to prove the issuer and type checks, not only the signature
      const { Client } = await import('pg');
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const { rows } = await pg.query('SELECT private_key FROM auth.signing_keys WHERE kid = $1', [kid]);
      await pg.end();
      const key = crypto.createPrivateKey(rows[0].private_key);
      const { payload } = peek(good);
      const foreign = jwt.sign({ ...payload, iss: 'someone-else' }, key, { algorithm: 'ES256', keyid: kid });
      const notAccess = jwt.sign({ ...payload, type: 'refresh' }, key, { algorithm: 'ES256', keyid: kid });
      const control = jwt.sign({ ...payload }, key, { algorithm: 'ES256', keyid: kid });
      expect(await codeOf(auth.rpc.authenticate(foreign))).toBe(grpc.status.UNAUTHENTICATED);
      expect(await codeOf(auth.rpc.authenticate(notAccess))).toBe(grpc.status.UNAUTHENTICATED);
      await expect(auth.rpc.authenticate(control)).resolves.toMatchObject({ user_id: USER });
    });
  });

  it('answers INVALID_ARGUMENT naming the bad field', async () => {
    const bad = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (err: grpc.ServiceError) => ({ code: err.code, details: err.details }),
      );
    expect(await bad(auth.rpc.issue({ user_id: 'not-a-uuid', role: 'ROLE_VIEWER' }))).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^user_id: /),
    });
    expect(await bad(auth.rpc.listSessions('42'))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^user_id/),
    });
    expect(await bad(auth.rpc.revokeSession({ session_id: 'x' }))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^session_id/),
    });
    expect(await bad(auth.rpc.issue({ user_id: USER, role: 9 }))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^role/),
    });
    expect(await bad(auth.rpc.issue({ user_id: USER, client: { ip: 'nowhere' } }))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^client\.ip/),
    });
    expect(await bad(auth.rpc.authenticate('x'.repeat(9000)))).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^token/),
    });
  });

  it('lists live sessions, newest first, with user agent, ip and method', async () => {
    const user = newUserId();
    const a = await auth.rpc.issue({
      user_id: user,
      role: 'ROLE_ADMIN',
      method: 'password',
      client: { user_agent: 'Firefox/130', ip: '10.0.0.7' },
    });
    const b = await auth.rpc.issue({
      user_id: user,
      role: 'ROLE_ADMIN',
      method: 'oauth:github',
      client: { user_agent: 'curl/8', ip: '2001:db8::1' },
    });
    await auth.rpc.revokeSession({ session_id: b.session_id, user_id: user });
    const c = await auth.rpc.issue({ user_id: user, role: 'ROLE_ADMIN', method: 'api_key' });

    const { sessions } = await auth.rpc.listSessions(user);
    expect(sessions.map((s) => s.id)).toEqual([c.session_id, a.session_id]);
    const first = sessions.find((s) => s.id === a.session_id)!;
    expect(first).toMatchObject({
      user_id: user,
      role: 'ROLE_ADMIN',
      method: 'password',
      user_agent: 'Firefox/130',
      ip: '10.0.0.7',
    });
    expect(first.created_at).toBeLessThanOrEqual(first.last_used_at);
    expect(first.expires_at - first.created_at).toBe(720 * 3600);
    expect(first.idle_expires_at - first.last_used_at).toBe(24 * 3600);
    expect(sessions.find((s) => s.id === c.session_id)).toMatchObject({
      method: 'api_key',
      user_agent: '',
      ip: '',
    });
    expect((await auth.rpc.listSessions(newUserId())).sessions).toEqual([]);
  });

  it('revokes one session: only for its owner, NOT_FOUND for anyone else', async () => {
    const user = newUserId();
    const pair = await issueFor(auth.rpc, user);
    expect(await codeOf(auth.rpc.revokeSession({ session_id: pair.session_id, user_id: newUserId() }))).toBe(
      grpc.status.NOT_FOUND,
    );
    expect(await codeOf(auth.rpc.revokeSession({ session_id: crypto.randomUUID() }))).toBe(
      grpc.status.NOT_FOUND,
    );
    await expect(auth.rpc.authenticate(pair.access_token)).resolves.toBeDefined();
    expect(
      await auth.rpc.revokeSession({ session_id: pair.session_id, user_id: user, reason: 'signed out' }),
    ).toEqual({ revoked: 1 });
    expect(await auth.rpc.revokeSession({ session_id: pair.session_id })).toEqual({ revoked: 0 });
    expect(await codeOf(auth.rpc.authenticate(pair.access_token))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await codeOf(auth.rpc.refresh({ refresh_token: pair.refresh_token }))).toBe(
      grpc.status.UNAUTHENTICATED,
    );
  });

  it('revoke-all refuses older tokens, yet a sign-in in the same second works', async () => {
    const user = newUserId();
    const old = await issueFor(auth.rpc, user);
    expect(await auth.rpc.revokeUserSessions({ user_id: user, reason: 'password changed' })).toEqual({
      revoked: 1,
    });
    const fresh = await issueFor(auth.rpc, user);
    expect(await codeOf(auth.rpc.authenticate(old.access_token))).toBe(grpc.status.UNAUTHENTICATED);
    await expect(auth.rpc.authenticate(fresh.access_token)).resolves.toMatchObject({
      session_id: fresh.session_id,
    });
    await expect(auth.rpc.refresh({ refresh_token: fresh.refresh_token })).resolves.toBeDefined();
  });

  it('reports SERVING on grpc.health.v1 and serves /health and /metrics', async () => {
    const health = await healthCheck(auth.handle.grpcPort, '');
    expect(health).toBe('SERVING');
    expect(await healthCheck(auth.handle.grpcPort, 'usher.auth.v1.AuthService')).toBe('SERVING');

    const res = await fetch(`http://127.0.0.1:${auth.handle.httpPort}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'pass',
      description: 'auth service',
      version: '0.1.0',
      instance_id: auth.handle.instanceId,
    });
    const metrics = await (await fetch(`http://127.0.0.1:${auth.handle.httpPort}/metrics`)).text();
    expect(metrics).toMatch(
      /usher_grpc_requests_total\{method="Authenticate",route="\/usher.auth.v1.AuthService\/Authenticate",code="OK".*\} \d+/,
    );
    expect(metrics).toMatch(
      /usher_auth_operations_total\{operation="authenticate",outcome="unauthenticated".*\} \d+/,
    );
    expect(metrics).toContain('usher_auth_revocation_cache_entries');
  });

  it('never logs a token', () => {
    const text = JSON.stringify(auth.lines);
    expect(auth.lines.some((l) => l.msg === 'auth service started' && typeof l.grpc_port === 'number')).toBe(
      true,
    );
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT anywhere
  });
});
