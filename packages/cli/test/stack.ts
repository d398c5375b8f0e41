import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import {
  createTestDatabase,
  freePort,
  testCallerEnv,
  testNatsUrl,
  waitForPort,
  type TestDatabase,
} from '@usher/testkit';

const ROOT = path.join(__dirname, '../../..');
const AUTH_MAIN = path.join(ROOT, 'services/auth/dist/main.js');
const USERS_MAIN = path.join(ROOT, 'services/users/dist/main.js');
export const CLI_MAIN = path.join(__dirname, '../dist/main.js');

export const OWNER = { email: 'owner@example.com', username: 'owner', password: 'owner-password-123' };

async function startProcess(main: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, '127.0.0.1', 60_000);
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

export interface Stack {
  url: string;
  usersDb: TestDatabase;
  mailDir: string;
  stop(): Promise<void>;
}

/** Both services, built and started as their own processes, each on its own real database. */
export async function startStack(usersEnv: Record<string, string> = {}): Promise<Stack> {
  const authDb = await createTestDatabase('auth');
  const usersDb = await createTestDatabase('users');
  const grpcPort = await freePort();
  const auth = await startProcess(
    AUTH_MAIN,
    {
      USHER_DB_URL: authDb.url,
      USHER_AUTH_GRPC_HOST: '127.0.0.1',
      USHER_AUTH_GRPC_PORT: String(grpcPort),
      USHER_AUTH_HTTP_HOST: '127.0.0.1',
      USHER_AUTH_HTTP_PORT: String(await freePort()),
      USHER_AUTH_ES_URL: testNatsUrl(),
      USHER_AUTH_LOG_LEVEL: 'warn',
      ...testCallerEnv(),
    },
    grpcPort,
  );
  const httpPort = await freePort();
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-cli-mail-'));
  const users = await startProcess(
    USERS_MAIN,
    {
      USHER_DB_URL: usersDb.url,
      USHER_USERS_HTTP_HOST: '127.0.0.1',
      USHER_USERS_HTTP_PORT: String(httpPort),
      USHER_AUTH_GRPC_URL: `127.0.0.1:${grpcPort}`,
      USHER_BCRYPT_COST: '4',
      USHER_USERS_LOG_LEVEL: 'silent',
      USHER_USERS_ADMIN_EMAIL: OWNER.email,
      USHER_USERS_ADMIN_USERNAME: OWNER.username,
      USHER_USERS_ADMIN_PASSWORD: OWNER.password,
      USHER_USERS_ES_URL: testNatsUrl(),
      USHER_EMAIL_DEV_DIR: mailDir,
      ...testCallerEnv(),
      ...usersEnv,
    },
    httpPort,
  );
  return {
    url: `http://127.0.0.1:${httpPort}`,
    usersDb,
    mailDir,
    async stop() {
      await stop(users);
      await stop(auth);
      await usersDb.drop();
      await authDb.drop();
      fs.rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed --json output, checked by assertions
  json: any;
}

/** The built `usher` binary as a subprocess: its own config dir, stdin from `input`. */
export function usher(
  args: string[],
  options: { home: string; input?: string; env?: Record<string, string> },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.home,
        XDG_CONFIG_HOME: path.join(options.home, 'config'),
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A small JSON client for checking what the CLI did, through the API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: bodies are checked by assertions
type Body = any;

export function api(base: string) {
  const call = async (
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: Body }> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    signIn: (identity: string, secret: string) => call('POST', '/users/tokens/issue', { identity, secret }),
  };
}
