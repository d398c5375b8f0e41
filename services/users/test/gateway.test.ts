import fs from 'fs';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import { newUserBody, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';
import { describeNginx, send, startGateway, TEMPLATES, TEMPLATE_VARS, type Gateway } from './nginx';

// The nginx gateway of docker/nginx/templates/usher.conf.template, run by a real nginx (Debian's
// package) on loopback: first in front of an echo server (exact view of what goes upstream), then in
// front of the real users service (+ auth as its own process).

const HEX32 = /^[0-9a-f]{32}$/;

describeNginx('gateway routing and headers (echo upstream)', () => {
  interface Seen {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
  }
  let echo: http.Server;
  let seen: Seen[] = [];
  let gw: Gateway;

  beforeAll(async () => {
    echo = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
        seen.push(entry);
        res.setHeader('X-Request-Id', 'set-by-upstream');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(entry));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    gw = await startGateway(`127.0.0.1:${(echo.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await gw?.stop();
    await new Promise((resolve) => echo?.close(resolve));
  });
  beforeEach(() => {
    seen = [];
  });

  it('templates use ${...} only for their own variables, so envsubst leaves nginx variables alone', () => {
    for (const file of fs.readdirSync(TEMPLATES).filter((f) => f.endsWith('.template'))) {
      const text = fs.readFileSync(path.join(TEMPLATES, file), 'utf8');
      const names = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
      expect({ file, unknown: names.filter((n) => !TEMPLATE_VARS.includes(n!)) }).toEqual({
        file,
        unknown: [],
      });
    }
  });

  it('routes the users service paths upstream, unchanged, and answers 404 itself for the rest', async () => {
    const routed = [
      '/users',
      '/users/6c1d2f5e-0000-4000-8000-000000000000',
      '/users/tokens/refresh',
      '/password/reset',
      '/verify-email?token=abc',
      '/audit',
      '/audit/events?limit=5',
      '/docs',
      '/docs/index.html',
      '/openapi.yaml',
      '/dashboard',
      '/dashboard/assets/app.js',
      '/health',
    ];
    for (const url of routed) {
      const res = await send(gw.port, 'GET', url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.body.url).toBe(url);
    }
    expect(seen.map((s) => s.url)).toEqual(routed);

    seen = [];
    for (const url of ['/metrics', '/usersx', '/healthz', '/openapi.json', '/admin', '/auditing']) {
      const res = await send(gw.port, 'GET', url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect(res.body).toEqual({ error: 'not_found', message: 'route not found' });
      expect(res.headers['x-request-id']).toMatch(HEX32);
    }
    expect(seen).toEqual([]); // none of those reached the service

    const root = await send(gw.port, 'GET', '/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toMatch(/\/dashboard$/);
    expect((await send(gw.port, 'GET', '/gateway/health')).text).toBe('ok\n');
    expect(seen).toEqual([]);
  });

  it('sets X-Request-Id (made here when absent or malformed), X-Forwarded-For/Proto, and passes traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const made = await send(gw.port, 'POST', '/users', {
      from: '127.0.0.5',
      body: { a: 1 },
      headers: { traceparent, tracestate: 'usher=1', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(made.status).toBe(200);
    const id = made.headers['x-request-id'];
    expect(id).toMatch(HEX32); // the upstream's own X-Request-Id is replaced by the gateway's
    const upstream = made.body.headers;
    expect(upstream['x-request-id']).toBe(id);
    expect(upstream['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.5');
    expect(upstream['x-forwarded-proto']).toBe('http');
    expect(upstream.traceparent).toBe(traceparent);
    expect(upstream.tracestate).toBe('usher=1');
    expect(upstream['content-type']).toBe('application/json');

    const kept = await send(gw.port, 'GET', '/users/profile', {
      headers: { 'x-request-id': 'client-req.42' },
    });
    expect(kept.headers['x-request-id']).toBe('client-req.42');
    expect(kept.body.headers['x-request-id']).toBe('client-req.42');
    expect(kept.body.headers).not.toHaveProperty('traceparent'); // none sent, none invented

    const bad = await send(gw.port, 'GET', '/users', { headers: { 'x-request-id': 'no spaces; please' } });
    expect(bad.headers['x-request-id']).toMatch(HEX32);
    expect(bad.body.headers['x-request-id']).toBe(bad.headers['x-request-id']);

    const other = await send(gw.port, 'GET', '/users');
    expect(other.headers['x-request-id']).toMatch(HEX32);
    expect(other.headers['x-request-id']).not.toBe(id);
  });

  it('limits POST /password/reset-request per client IP: 429 with Retry-After past the burst of 3', async () => {
    const post = (from: string, url = '/password/reset-request') =>
      send(gw.port, 'POST', url, { from, body: { email: 'ada@example.com' } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('127.0.0.6')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);

    const limited = await post('127.0.0.6');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('12');
    expect(limited.headers['x-request-id']).toMatch(HEX32);
    expect(limited.body).toMatchObject({ error: 'too_many_requests' });
    // the rejected requests never reached the service
    expect(seen.filter((s) => s.url === '/password/reset-request')).toHaveLength(4);

    // other clients, other routes, other methods and the other limit are unaffected
    expect((await post('127.0.0.7')).status).toBe(200);
    expect((await send(gw.port, 'GET', '/password/reset-request', { from: '127.0.0.6' })).status).toBe(200);
    expect((await post('127.0.0.6', '/users')).status).toBe(200);
    expect((await post('127.0.0.6', '/users/tokens/issue')).status).toBe(200);
    expect((await send(gw.port, 'GET', '/health', { from: '127.0.0.6' })).status).toBe(200);
  });
});

describeNginx('gateway in front of the running users service', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let gw: Gateway;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    gw = await startGateway(new URL(users.url).host);
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await users?.stop();
    await auth?.stop();
  });

  it('serves /health from the users service', async () => {
    const res = await send(gw.port, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'pass', description: 'users service' });
    expect(res.headers['x-request-id']).toMatch(HEX32);
  });

  it('registers, signs in and reads the profile through the gateway', async () => {
    const created = await send(gw.port, 'POST', '/users', { body: newUserBody('gw') });
    expect(created.status).toBe(201);
    expect(created.body.credentials).toEqual({ username: 'user_gw' });

    const issued = await send(gw.port, 'POST', '/users/tokens/issue', {
      body: { identity: 'user_gw', secret: 'secret-gw-long' },
      headers: { 'x-request-id': 'gw-sign-in-1' },
    });
    expect(issued.status).toBe(201);
    expect(issued.headers['x-request-id']).toBe('gw-sign-in-1');
    expect(issued.body).toMatchObject({ access_type: 'Bearer' });

    const profile = await send(gw.port, 'GET', '/users/profile', {
      headers: { authorization: `Bearer ${issued.body.access_token}` },
    });
    expect(profile.status).toBe(200);
    expect(profile.body.id).toBe(created.body.id);

    // the service's /metrics stays inside
    expect((await send(gw.port, 'GET', '/metrics')).status).toBe(404);
  });

  it('answers 429 with Retry-After past the sign-in burst; other clients and routes are unaffected', async () => {
    // unknown identities: 401 from the service (and no account lockout in play)
    const attempt = (n: number, from: string) =>
      send(gw.port, 'POST', '/users/tokens/issue', {
        from,
        body: { identity: `nobody_${n}`, secret: 'wrong-secret-123' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await attempt(i, '127.0.0.2')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);

    const limited = await attempt(99, '127.0.0.2');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('6');
    expect(limited.body).toMatchObject({ error: 'too_many_requests' });

    // the same client can still use the rest of the API
    expect((await send(gw.port, 'GET', '/health', { from: '127.0.0.2' })).status).toBe(200);
    const created = await send(gw.port, 'POST', '/users', { from: '127.0.0.2', body: newUserBody('rl') });
    expect(created.status).toBe(201);
    // another client signs in fine
    const other = await send(gw.port, 'POST', '/users/tokens/issue', {
      from: '127.0.0.3',
      body: { identity: 'user_rl', secret: 'secret-rl-long' },
    });
    expect(other.status).toBe(201);
  });
});
