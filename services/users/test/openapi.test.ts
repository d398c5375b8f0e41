import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import type { AuthClient } from '@usher/auth-client';
import { createLogger, createRegistry } from '@usher/telemetry';
import { createHttpApp } from '../src/http/app';
import { docsRouter, OPENAPI_FILE } from '../src/http/docs';
import type { UsersService } from '../src/service';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { findOperation, loadSpec, SPEC_PATH, specOperations, validateResponse } from './openapi';

/* eslint-disable @typescript-eslint/no-explicit-any -- express internals and parsed YAML */

/** `METHOD /path/{param}` of every route registered in express (the app, its routers and the docs router). */
function expressRoutes(): string[] {
  const app = createHttpApp({
    service: {} as UsersService,
    auth: {} as AuthClient,
    logger: createLogger({ service: 'users-openapi-test', level: 'silent' }),
    registry: createRegistry('users_openapi_test', 'test'),
    instanceId: 'test',
    requireAuthentication: true,
    owner: async () => ({ userId: '', role: 'owner', sessionId: '', verified: true }),
  } as any);
  const out = new Set<string>();
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const template = String(layer.route.path).replace(/:(\w+)/g, '{$1}');
        for (const m of Object.keys(layer.route.methods))
          if (m !== '_all') out.add(`${m.toUpperCase()} ${template}`);
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as any).router.stack);
  // Until app.ts mounts it, the docs router is checked on its own; once mounted, the set is the same.
  walk((docsRouter() as any).stack);
  return [...out].sort();
}

describe('openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document whose $refs all resolve', () => {
    const pkg = require.resolve('@seriousme/openapi-schema-validator/package.json');
    const cli = path.join(path.dirname(pkg), 'bin/validate-api-cli.js');
    const out = execFileSync(process.execPath, [cli, SPEC_PATH], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ valid: true });
    expect(loadSpec().openapi).toMatch(/^3\.1\./);
  });

  it('is the file the service serves (found from src/http and dist/http alike)', () => {
    expect(path.resolve(OPENAPI_FILE)).toBe(path.resolve(SPEC_PATH));
  });

  it('describes exactly the routes express registers', () => {
    const documented = specOperations()
      .map((o) => `${o.method} ${o.template}`)
      .sort();
    expect(documented).toEqual(expressRoutes());
  });

  it('matches paths as express does: concrete paths before templates', () => {
    expect(findOperation('GET', '/users/profile')?.template).toBe('/users/profile');
    expect(findOperation('GET', '/users/search?email=a')?.template).toBe('/users/search');
    expect(findOperation('GET', '/users/sessions')?.template).toBe('/users/sessions');
    expect(findOperation('PATCH', '/users/secret')?.template).toBe('/users/secret');
    // /users/secret has no GET: express hands it to /users/:id, which answers 400 (not a UUID).
    expect(findOperation('GET', '/users/secret')?.template).toBe('/users/{id}');
    expect(findOperation('PATCH', '/users/0b5cf7e4-1b7a-4b5c-9c1e-7d3f2a6e8b90/role')?.template).toBe(
      '/users/{id}/role',
    );
    expect(findOperation('PUT', '/users')).toBeUndefined();
  });

  describe('every operation documents the errors its middleware can produce', () => {
    const spec = loadSpec();
    const ops = specOperations().filter(
      (o) => !['/health', '/metrics', '/openapi.yaml', '/docs', '/docs/assets/{file}'].includes(o.template),
    );
    it.each(ops.map((o) => [`${o.method} ${o.template}`, o] as const))('%s', (_name, o) => {
      const statuses = Object.keys(o.operation.responses);
      // The JSON body parser runs for every API route: bad JSON, too large, unknown encoding.
      for (const s of ['400', '413', '415']) expect(statuses).toContain(s);
      const security = o.operation.security ?? spec.security;
      if (security.some((req: object) => Object.keys(req).length > 0)) {
        expect(statuses).toContain('401');
        expect(statuses).toContain('503');
      }
      // A success, or for the browser redirects of /oauth/* a redirect.
      expect(statuses.some((s) => /^(2\d\d|302)$/.test(s))).toBe(true);
      expect(o.operation.operationId).toEqual(expect.any(String));
      for (const m of o.template.matchAll(/\{(\w+)\}/g)) {
        const params = [...(spec.paths[o.template].parameters ?? []), ...(o.operation.parameters ?? [])].map(
          (p: any) =>
            p.$ref ? p.$ref.split('/').reduce((at: any, k: string) => (k === '#' ? spec : at[k]), spec) : p,
        );
        expect(params.find((p: any) => p.in === 'path' && p.name === m[1])).toBeDefined();
      }
    });
  });
});

describe('validateResponse', () => {
  const user = {
    id: '0b5cf7e4-1b7a-4b5c-9c1e-7d3f2a6e8b90',
    first_name: 'A',
    last_name: 'B',
    email: 'a@example.com',
    credentials: { username: 'ab' },
    role: 'viewer',
    status: 'enabled',
    tags: [],
    metadata: { free: { nested: [1] } },
    private_metadata: {},
    profile_picture: '',
    created_at: '2026-01-01T00:00:00.000Z',
  };
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const id = user.id;

  it('accepts a body that matches', () => {
    expect(() => validateResponse('GET', `/users/${id}`, 200, json, JSON.stringify(user))).not.toThrow();
    expect(() => validateResponse('DELETE', `/users/${id}`, 204, {}, '')).not.toThrow();
  });

  it('refuses an undocumented field, a wrong enum and a missing field, naming the route and status', () => {
    expect(() =>
      validateResponse('PATCH', `/users/${id}`, 200, json, JSON.stringify({ ...user, secret: 'x' })),
    ).toThrow(/PATCH \/users\/\{id\}.* -> 200: .*must NOT have additional properties/s);
    expect(() =>
      validateResponse('PATCH', `/users/${id}`, 200, json, JSON.stringify({ ...user, role: 2 })),
    ).toThrow(/\/role must be equal to one of the allowed values/);
    const { email: _email, ...noEmail } = user;
    expect(() => validateResponse('GET', '/users/profile', 200, json, JSON.stringify(noEmail))).toThrow(
      /must have required property 'email'/,
    );
  });

  it('refuses an undocumented status, content type or a missing required header', () => {
    expect(() =>
      validateResponse('GET', '/users/profile', 409, json, '{"error":"conflict","message":"x"}'),
    ).toThrow(/status 409 is not documented/);
    expect(() =>
      validateResponse('GET', '/users/profile', 200, { 'content-type': 'text/html' }, '<p>'),
    ).toThrow(/content type "text\/html" is not documented/);
    expect(() => validateResponse('POST', '/users', 201, json, JSON.stringify(user))).toThrow(
      /required header Location is missing/,
    );
    expect(() =>
      validateResponse(
        'POST',
        '/users/tokens/issue',
        423,
        json,
        '{"error":"account_locked","message":"x","retry_after":3}',
      ),
    ).toThrow(/Retry-After/);
  });

  it('checks error bodies and their codes', () => {
    expect(() =>
      validateResponse(
        'GET',
        '/users?limit=0',
        400,
        json,
        '{"error":"invalid_request","message":"limit: must be between 1 and 100"}',
      ),
    ).not.toThrow();
    expect(() =>
      validateResponse('GET', '/users?limit=0', 400, json, '{"error":"nope","message":"x"}'),
    ).toThrow(/\/error/);
    expect(() => validateResponse('GET', '/users', 401, json, '{"error":"unauthenticated"}')).toThrow(
      /message/,
    );
  });

  it('accepts the 404 of an unknown route, and nothing else there', () => {
    expect(() =>
      validateResponse('GET', '/nowhere', 404, json, '{"error":"not_found","message":"route not found"}'),
    ).not.toThrow();
    expect(() => validateResponse('GET', '/nowhere', 200, json, '{}')).toThrow(/no operation/);
  });
});

describe('served contract and reference page', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('GET /openapi.yaml answers the file as application/yaml', async () => {
    const res = await http.get('/openapi.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(res.text).toBe(fs.readFileSync(SPEC_PATH, 'utf8'));
    expect(YAML.parse(res.text).openapi).toMatch(/^3\.1\./);
  });

  it('GET /docs answers an HTML page under a strict CSP, with every asset served locally', async () => {
    const res = await http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.text).not.toMatch(/<script>|<style|style=|https?:\/\//);
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\/assets\//);
      const got = await http.get(asset);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css|image\/png)/);
      expect(got.text.length).toBeGreaterThan(0);
    }
    expect((await http.get('/docs/assets/package.json')).status).toBe(404);
    expect((await http.get('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('a tour of the API: every answer matches the spec (validated by api())', async () => {
    const owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    const created = await http.post('/users', newUserBody('tour', { role: 1, status: 'enabled' }), owner);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const viewer = await http.post('/users', newUserBody('tourv'));
    const viewerToken = (await http.signIn('user_tourv', 'secret-tourv-long')).access_token;

    expect(
      (
        await http.get(
          '/users?limit=5&order=email&dir=asc&tags=test&metadata=%7B%22team%22%3A%22qa%22%7D',
          owner,
        )
      ).status,
    ).toBe(200);
    expect((await http.get('/users?only_total=true&status=all', owner)).body).toEqual({
      total: expect.any(Number),
      offset: 0,
      limit: 10,
    });
    expect((await http.get('/users?limit=0', owner)).status).toBe(400);
    expect((await http.get('/users', viewerToken)).status).toBe(403);
    expect((await http.get('/users/search?username=tour', owner)).status).toBe(200);
    expect((await http.get('/users/search?username=tour', viewerToken)).body.users[0]).not.toHaveProperty(
      'email',
    );
    expect((await http.get(`/users/${id}`, owner)).status).toBe(200);
    expect(
      (await http.patch(`/users/${id}`, { first_name: 'Tour', metadata: { a: 1 } }, owner)).body.updated_at,
    ).toEqual(expect.any(String));
    expect((await http.patch(`/users/${id}/tags`, { tags: ['x'] }, owner)).status).toBe(200);
    expect((await http.patch(`/users/${id}/role`, { role: 'viewer' }, owner)).status).toBe(200);
    expect((await http.patch(`/users/${id}/email`, { email: 'user-tourv@example.com' }, owner)).status).toBe(
      409,
    );
    expect((await http.post(`/users/${id}/disable`, undefined, owner)).body.status).toBe('disabled');
    expect((await http.post(`/users/${id}/enable`, undefined, owner)).body.status).toBe('enabled');
    expect((await http.post(`/users/${id}/enable`, undefined, owner)).status).toBe(422);
    expect((await http.get(`/users/${id}`, viewerToken)).body).not.toHaveProperty('email');
    expect((await http.get('/users/tokens/refresh-tokens', owner)).status).toBe(200);
    expect((await http.post(`/users/${id}/unlock`, undefined, owner)).status).toBe(204);

    expect(
      (await http.get('/users/sessions', owner)).body.sessions.some((s: { current: boolean }) => s.current),
    ).toBe(true);
    expect((await http.get(`/users/${viewer.body.id}/sessions`, owner)).status).toBe(200);
    const key = await http.post('/users/keys', { name: 'tour', expires_in: '1h' }, owner);
    expect(key.status).toBe(201);
    expect((await http.get('/users/keys', key.body.key)).body.keys).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: key.body.id })]),
    );
    expect((await http.del(`/users/keys/${key.body.id}`, owner)).status).toBe(204);
    expect((await http.get('/audit?limit=50&type=user_created', owner)).status).toBe(200);
    expect((await http.get('/audit?limit=1000', owner)).status).toBe(400);

    const pair = await http.signIn('user_tourv', 'secret-tourv-long');
    expect((await http.post('/users/tokens/refresh', undefined, pair.refresh_token)).status).toBe(201);
    expect((await http.post('/users/tokens/revoke', undefined, viewerToken)).status).toBe(204);
    expect(
      (await http.patch('/users/secret', { old_secret: 'wrong-secret', new_secret: 'whatever-long' }, owner))
        .status,
    ).toBe(401);
    expect((await http.del(`/users/${id}`, owner)).status).toBe(204);
    await http.get(`/users/${id}`, owner); // whatever it answers for a deleted user is checked against the spec
    expect((await http.get('/health')).status).toBe(200);
  });
});
