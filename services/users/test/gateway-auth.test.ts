import http from 'http';
import type { AddressInfo } from 'net';
import { freePort, waitFor } from '@usher/testkit';
import {
  api,
  newUserBody,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { describeNginx, startGateway, type Gateway } from './nginx';

// Issue 15 §4: the compose gateway protects an example upstream with auth_request against auth's
// /auth/verify; a real nginx, a real auth process and the real users service.

describeNginx('gateway auth_request in front of an example service', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let gw: Gateway;
  let example: http.Server;
  let seen: http.IncomingHttpHeaders[] = [];
  let authHttp: number;

  beforeAll(async () => {
    authHttp = await freePort();
    auth = await startAuthProcess({ USHER_AUTH_HTTP_PORT: String(authHttp) });
    users = await startUsers(auth.address);
    example = http.createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => example.listen(0, '127.0.0.1', resolve));
    const users_ = new URL(users.url);
    gw = await startGateway(`${users_.hostname}:${users_.port}`, {
      USHER_AUTH_HTTP_UPSTREAM: `127.0.0.1:${authHttp}`,
      USHER_EXAMPLE_UPSTREAM: `127.0.0.1:${(example.address() as AddressInfo).port}`,
    });
  }, 90_000);
  afterAll(async () => {
    await gw?.stop();
    await new Promise((resolve) => example?.close(resolve));
    await users?.stop();
    await auth?.stop();
  });
  beforeEach(() => {
    seen = [];
  });

  const viaGateway = (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${gw.port}${path}`, { headers });

  it('passes a valid token with the caller in X-Usher-* headers (client-sent ones replaced)', async () => {
    const u = api(users.url);
    const created = await u.post('/users', newUserBody('gwa'));
    const { access_token } = await u.signIn('user_gwa', 'secret-gwa-long');
    const res = await viaGateway('/example/hello', {
      authorization: `Bearer ${access_token}`,
      'x-usher-user-id': 'forged',
      'x-usher-role': 'owner',
    });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!['x-usher-user-id']).toBe(created.body.id);
    expect(seen[0]!['x-usher-role']).toBe('viewer');
    expect(seen[0]!['x-usher-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without a token or with a forged one, and the example never sees the request', async () => {
    expect((await viaGateway('/example/x')).status).toBe(401);
    expect((await viaGateway('/example/x', { authorization: 'Bearer a.b.c' })).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('refuses a token at the gateway within 1 s of signing out through the users service', async () => {
    const u = api(users.url);
    await u.post('/users', newUserBody('gwb'));
    const { access_token } = await u.signIn('user_gwb', 'secret-gwb-long');
    const authorization = `Bearer ${access_token}`;
    expect((await viaGateway('/example/x', { authorization })).status).toBe(200);
    expect((await u.post('/users/tokens/revoke', undefined, access_token)).status).toBe(204);
    await waitFor(async () => (await viaGateway('/example/x', { authorization })).status === 401, 1000, 10);
  });

  it('serves the JWKS through the gateway with its cache headers', async () => {
    const res = await viaGateway('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=60/);
    const { keys } = (await res.json()) as { keys: { kty: string; d?: string }[] };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.kty === 'EC' && k.d === undefined)).toBe(true);
  });
});
