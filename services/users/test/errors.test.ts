import crypto from 'crypto';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// Bad input and refused tokens: a clear 4xx with `{error, message}`, never a 500.
describe('errors', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let viewer: { id: string; token: string };
  let ownerToken: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    const created = await http.post('/users', newUserBody('v'));
    viewer = { id: created.body.id, token: (await http.signIn('user_v', 'secret-v-long')).access_token };
    ownerToken = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  const expectError = (res: { status: number; body: unknown }, status: number, message?: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: expect.any(String), message: expect.any(String) });
    if (message) expect((res.body as { message: string }).message).toMatch(message);
  };

  describe('registration input', () => {
    it('malformed JSON -> 400', async () => {
      const res = await http.postRaw('/users', '{"email": "a@b.c",');
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'malformed_body',
        message: 'request body is not valid JSON',
      });
    });

    it('a body that is not JSON -> 415', async () => {
      const res = await http.postRaw('/users', 'email=a@b.c', 'application/x-www-form-urlencoded');
      expect(res.status).toBe(415);
    });

    it.each([
      ['email', { email: undefined }, /^email: is required/],
      ['email', { email: 'not-an-email' }, /^email: must be a valid email address/],
      ['credentials', { credentials: undefined }, /^credentials: is required/],
      [
        'credentials.username',
        { credentials: { secret: 'long-enough-secret' } },
        /^credentials\.username: is required/,
      ],
      [
        'credentials.username',
        { credentials: { username: 'a b', secret: 'long-enough-secret' } },
        /^credentials\.username: may hold/,
      ],
      ['credentials.secret', { credentials: { username: 'someone' } }, /^credentials\.secret: is required/],
      [
        'credentials.secret',
        { credentials: { username: 'someone', secret: 'short' } },
        /^credentials\.secret: does not meet the password policy/,
      ],
      ['role', { role: 'superuser' }, /^role: /],
      ['role', { role: 7 }, /^role: /],
      ['tags', { tags: 'x' }, /^tags: must be a list of strings/],
      ['metadata', { metadata: [1] }, /^metadata: must be a JSON object/],
    ])('missing or invalid %s -> 400 naming the field', async (_field, change, message) => {
      const res = await http.post('/users', { ...newUserBody('bad'), ...change });
      expectError(res, 400, message);
      expect(res.body.error).toBe('invalid_request');
    });

    it('a body that is not an object -> 400', async () => {
      expectError(await http.post('/users', [1, 2]), 400);
      expectError(await http.post('/users', 'text'), 400);
    });

    it('duplicate email or username, in any case -> 409', async () => {
      expect((await http.post('/users', newUserBody('dup'))).status).toBe(201);
      expectError(
        await http.post('/users', newUserBody('dup2', { email: 'USER-DUP@example.com' })),
        409,
        /email already taken/,
      );
      expectError(
        await http.post(
          '/users',
          newUserBody('dup3', { credentials: { username: 'User_Dup', secret: 'long-enough-secret' } }),
        ),
        409,
        /username already taken/,
      );
    });
  });

  describe('sign-in', () => {
    it('wrong secret and unknown identity -> the same 401 body', async () => {
      const wrong = await http.post('/users/tokens/issue', { identity: 'user_v', secret: 'not-the-secret' });
      const unknown = await http.post('/users/tokens/issue', {
        identity: 'nobody@example.com',
        secret: 'not-the-secret',
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({ error: 'unauthenticated', message: 'invalid identity or secret' });
    });

    it('missing identity or secret -> 400 naming it', async () => {
      expectError(await http.post('/users/tokens/issue', { secret: 'x' }), 400, /^identity: is required/);
      expectError(
        await http.post('/users/tokens/issue', { identity: 'user_v' }),
        400,
        /^secret: is required/,
      );
    });

    it('refresh without a token or with a garbage token -> 401', async () => {
      expectError(await http.post('/users/tokens/refresh'), 401);
      expectError(await http.post('/users/tokens/refresh', undefined, 'garbage'), 401);
    });
  });

  describe('tokens', () => {
    async function currentKey(): Promise<{ kid: string; privateKey: crypto.KeyObject }> {
      const client = new Client({ connectionString: auth.db.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          'select kid, private_key from auth.signing_keys where retired_at is null order by created_at desc limit 1',
        );
        return { kid: rows[0].kid, privateKey: crypto.createPrivateKey(rows[0].private_key) };
      } finally {
        await client.end();
      }
    }
    const claims = (over: Record<string, unknown> = {}) => {
      const payload = JSON.parse(Buffer.from(viewer.token.split('.')[1]!, 'base64url').toString());
      return { ...payload, ...over };
    };

    it('no token -> 401; a token of another scheme -> 401', async () => {
      expectError(await http.get('/users/profile'), 401);
      const res = await fetch(`${users.url}/users/profile`, {
        headers: { authorization: `Basic ${viewer.token}` },
      });
      expect(res.status).toBe(401);
    });

    it('tampered token -> 401', async () => {
      const [h, , s] = viewer.token.split('.');
      const forged = Buffer.from(JSON.stringify(claims({ role: 'owner' }))).toString('base64url');
      expectError(await http.get('/users/profile', `${h}.${forged}.${s}`), 401);
      expectError(await http.get('/users/profile', viewer.token.slice(0, -4) + 'AAAA'), 401);
    });

    it('expired token, signed with the real key -> 401', async () => {
      const key = await currentKey();
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign(claims({ iat: now - 3600, exp: now - 60 }), key.privateKey, {
        algorithm: 'ES256',
        keyid: key.kid,
      });
      expectError(await http.get('/users/profile', expired), 401);
      // The same claims unexpired do pass: the refusal above is about expiry alone.
      const fresh = jwt.sign(claims(), key.privateKey, { algorithm: 'ES256', keyid: key.kid });
      expect((await http.get('/users/profile', fresh)).status).toBe(200);
    });

    it('alg none -> 401', async () => {
      const none = jwt.sign(claims(), '', { algorithm: 'none' });
      expectError(await http.get('/users/profile', none), 401);
      const key = await currentKey();
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: key.kid })).toString(
        'base64url',
      );
      const body = Buffer.from(JSON.stringify(claims())).toString('base64url');
      expectError(await http.get('/users/profile', `${header}.${body}.`), 401);
    });

    it('unknown kid -> 401', async () => {
      const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const token = jwt.sign(claims(), privateKey, { algorithm: 'ES256', keyid: 'not-a-usher-key' });
      expectError(await http.get('/users/profile', token), 401);
    });

    it('revoked token -> 401', async () => {
      const pair = await http.signIn('user_v', 'secret-v-long');
      await http.post('/users/tokens/refresh', undefined, pair.refresh_token);
      await http.post('/users/tokens/refresh', undefined, pair.refresh_token); // reuse revokes the session
      expectError(await http.get('/users/profile', pair.access_token), 401);
    });
  });

  describe('access', () => {
    it('another user as a viewer -> its public fields; changing it -> 403; unknown id as an admin -> 404; not a UUID -> 400', async () => {
      const other = await http.post('/users', newUserBody('other'));
      // As in Magistrala: 200 with the public fields only.
      const seen = await http.get(`/users/${other.body.id}`, viewer.token);
      expect(seen.status).toBe(200);
      expect(seen.body).not.toHaveProperty('email');
      expectError(await http.patch(`/users/${other.body.id}`, { first_name: 'x' }, viewer.token), 403);
      expect((await http.get(`/users/${viewer.id}`, viewer.token)).status).toBe(200);
      expectError(await http.get(`/users/${crypto.randomUUID()}`, ownerToken), 404);
      expectError(await http.get('/users/not-a-uuid', ownerToken), 400, /^id: must be a UUID/);
    });

    it('unknown route -> 404 with the error body', async () => {
      expectError(await http.get('/nowhere'), 404);
    });
  });

  describe('auth service down', () => {
    it('answers 503 quickly, never hangs', async () => {
      await auth.stop();
      const res = await http.get('/users/profile', viewer.token);
      expectError(res, 503);
      expect(res.headers.get('retry-after')).toBe('1');
      const signIn = await http.post('/users/tokens/issue', { identity: 'user_v', secret: 'secret-v-long' });
      expectError(signIn, 503);
    });
  });
});
