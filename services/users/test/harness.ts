import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { loadUsersConfig } from '@usher/config';
import {
  createTestDatabase,
  freePort,
  testCallerEnv,
  testNatsUrl,
  waitForPort,
  type TestDatabase,
} from '@usher/testkit';
import { startUsersService, type UsersHandle } from '../src/app';
import { validateResponse } from './openapi';

export const AUTH_MAIN = path.join(__dirname, '../../auth/dist/main.js');

export interface AuthProcess {
  address: string;
  db: TestDatabase;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The real auth service, built (dist/main.js) and started as its own process, on its own database. */
export async function startAuthProcess(env: Record<string, string> = {}): Promise<AuthProcess> {
  const db = await createTestDatabase('auth');
  const grpcPort = await freePort();
  const child = spawn(process.execPath, [AUTH_MAIN], {
    env: {
      PATH: process.env.PATH,
      USHER_DB_URL: db.url,
      USHER_AUTH_GRPC_HOST: '127.0.0.1',
      USHER_AUTH_GRPC_PORT: String(grpcPort),
      USHER_AUTH_HTTP_HOST: '127.0.0.1',
      USHER_AUTH_HTTP_PORT: String(await freePort()),
      USHER_AUTH_ES_URL: testNatsUrl(),
      USHER_AUTH_LOG_LEVEL: 'warn',
      ...testCallerEnv(),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(grpcPort, '127.0.0.1', 30_000);
  return {
    address: `127.0.0.1:${grpcPort}`,
    db,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await db.drop();
    },
  };
}

export interface UsersInstance {
  url: string;
  db: TestDatabase;
  handle: UsersHandle;
  stop(): Promise<void>;
}

export const OWNER = { email: 'owner@example.com', username: 'owner', password: 'owner-password-123' };

/** The users service in this process, on its own database, talking to a real auth service. */
export async function startUsers(
  authAddress: string,
  env: Record<string, string> = {},
): Promise<UsersInstance> {
  const db = await createTestDatabase('users');
  const config = loadUsersConfig({
    USHER_DB_URL: db.url,
    USHER_USERS_HTTP_HOST: '127.0.0.1',
    USHER_USERS_HTTP_PORT: String(await freePort()),
    USHER_AUTH_GRPC_URL: authAddress,
    USHER_BCRYPT_COST: '4',
    USHER_USERS_LOG_LEVEL: 'silent',
    USHER_USERS_ADMIN_EMAIL: OWNER.email,
    USHER_USERS_ADMIN_USERNAME: OWNER.username,
    USHER_USERS_ADMIN_PASSWORD: OWNER.password,
    USHER_USERS_ES_URL: testNatsUrl(),
    ...testCallerEnv(),
    ...env,
  });
  const handle = await startUsersService(config);
  return {
    url: handle.url,
    db,
    handle,
    async stop() {
      await handle.stop();
      await db.drop();
    },
  };
}

/** A small JSON client for the users API. */
export function api(base: string) {
  const call = async (method: string, url: string, body?: unknown, token?: string, raw?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + url, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    // Every answer must match openapi.yaml: the spec and the code cannot drift apart.
    validateResponse(method, url, res.status, res.headers, text);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: bodies are checked by assertions
    return { status: res.status, body: json as any, headers: res.headers, text };
  };
  return {
    get: (url: string, token?: string) => call('GET', url, undefined, token),
    post: (url: string, body?: unknown, token?: string) => call('POST', url, body, token),
    patch: (url: string, body?: unknown, token?: string) => call('PATCH', url, body, token),
    put: (url: string, body?: unknown, token?: string) => call('PUT', url, body, token),
    del: (url: string, token?: string) => call('DELETE', url, undefined, token),
    postRaw: (url: string, raw: string, contentType = 'application/json') =>
      fetch(base + url, { method: 'POST', headers: { 'content-type': contentType }, body: raw }),
    signIn: async (identity: string, secret: string) => {
      const res = await call('POST', '/users/tokens/issue', { identity, secret });
      if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
      return res.body as { access_token: string; refresh_token: string; access_type: string };
    },
  };
}

export const newUserBody = (n: string, over: Record<string, unknown> = {}) => ({
  first_name: 'Test',
  last_name: `User ${n}`,
  email: `user-${n}@example.com`,
  credentials: { username: `user_${n}`, secret: `secret-${n}-long` },
  tags: ['test'],
  metadata: { team: 'qa' },
  ...over,
});
