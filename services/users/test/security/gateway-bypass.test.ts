import http from 'http';
import type { AddressInfo } from 'net';
import {
  api,
  newUserBody,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';
import { describeNginx, send, startGateway, type Gateway } from '../nginx';

// Promise: no spelling of a limited route gets around its limit. The gateway matches the limited
// routes by regex (trailing slash, letter case), the service routes strictly (a trailing slash is
// a 404), and the dashboard backend does not forward the token routes.

describeNginx('security: gateway bypasses (real nginx)', () => {
  let echo: http.Server;
  let seen: string[] = [];
  let gw: Gateway;

  beforeAll(async () => {
    echo = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(req.url ?? '');
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    gw = await startGateway(`127.0.0.1:${(echo.address() as AddressInfo).port}`);
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await new Promise((resolve) => echo?.close(resolve));
  });

  it('a trailing slash or another letter case counts against the same sign-in limit (burst 5)', async () => {
    seen = [];
    const urls = [
      '/users/tokens/issue/',
      '/users/tokens/issue//',
      '/USERS/tokens/issue',
      '/users/tokens/issue',
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const url = urls[i % urls.length]!;
      statuses.push(
        (await send(gw.port, 'POST', url, { from: '127.0.0.21', body: { identity: 'a' } })).status,
      );
    }
    // 1 + burst 5 pass, whatever the spelling; the rest are refused at the gateway
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual(Array(6).fill(429));
    expect(seen).toHaveLength(6);
  });

  it('a trailing slash on the password-reset request is limited too (burst 3)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (
          await send(gw.port, 'POST', '/password/reset-request/', {
            from: '127.0.0.22',
            body: { email: 'a@b.c' },
          })
        ).status,
      );
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.slice(4)).toEqual(Array(4).fill(429));
  });
});

describe('security: strict routing in the users service', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http2: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_DASHBOARD_ENABLED: 'true' });
    http2 = api(users.url);
    expect((await http2.post('/users', newUserBody('strict'))).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('a trailing slash is another route: 404, the sign-in and reset routes are not reached', async () => {
    const body = { identity: 'user_strict', secret: 'secret-strict-long' };
    expect((await http2.post('/users/tokens/issue', body)).status).toBe(201);
    // raw requests: the OpenAPI check of the harness client knows no trailing-slash paths
    const post = (url: string, payload: unknown) =>
      fetch(users.url + url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    const slashed = await post('/users/tokens/issue/', body);
    expect(slashed.status).toBe(404);
    expect(await slashed.json()).toEqual({ error: 'not_found', message: expect.any(String) });
    expect((await post('/password/reset-request/', { email: 'user-strict@example.com' })).status).toBe(404);
    expect((await post('/users/tokens/refresh/', { refresh_token: 'x' })).status).toBe(404);
  });

  it('the dashboard backend does not forward /users/tokens/*', async () => {
    for (const route of ['/users/tokens/issue', '/users/TOKENS/issue', '/users/tokens/refresh']) {
      const res = await fetch(`${users.url}/dashboard/api${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: users.url,
          'x-usher-csrf': 'csrf-token-value',
          cookie: 'usher_csrf=csrf-token-value',
        },
        body: JSON.stringify({ identity: 'user_strict', secret: 'secret-strict-long' }),
      });
      expect({ route, status: res.status }).toEqual({ route, status: 404 });
    }
  });
});
