import fs from 'fs';
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
import { AUTH_MAIN, OWNER } from './harness';

export const USERS_MAIN = path.join(__dirname, '../dist/main.js');

/** True when the built users service relays its outbox to NATS (the events part of issue 6). */
export const relayBuilt = () => {
  try {
    return fs.readFileSync(path.join(__dirname, '../dist/app.js'), 'utf8').includes('OutboxRelay');
  } catch {
    return false;
  }
};

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** stdout lines that are JSON (the pino log lines). */
  logs(): Record<string, unknown>[];
  /** SIGTERM, wait for the exit (the drain flushes spans), drop the database. */
  stop(): Promise<void>;
}

async function spawnService(
  main: string,
  db: TestDatabase,
  port: number,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port, '127.0.0.1', 30_000),
      exited.then(() => Promise.reject(new Error(`exited with ${child.exitCode ?? child.signalCode}`))),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${path.basename(path.dirname(path.dirname(main)))} did not start: ${stderr || stdout}`, {
      cause: err,
    });
  }
  return {
    child,
    output: () => stdout + stderr,
    logs: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await db.drop();
    },
  };
}

export interface ProcessStack {
  usersUrl: string;
  auth: ServiceProcess;
  users: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * The auth and users services as their own built processes (dist/main.js), as they run in
 * production: tracing only instruments modules loaded after it starts, which jest's module
 * sandbox never does. `env` goes to both (e.g. USHER_JAEGER_URL, log levels).
 */
export async function startProcessStack(env: Record<string, string> = {}): Promise<ProcessStack> {
  const authDb = await createTestDatabase('auth');
  const grpcPort = await freePort();
  const auth = await spawnService(AUTH_MAIN, authDb, grpcPort, {
    USHER_DB_URL: authDb.url,
    USHER_AUTH_GRPC_HOST: '127.0.0.1',
    USHER_AUTH_GRPC_PORT: String(grpcPort),
    USHER_AUTH_HTTP_HOST: '127.0.0.1',
    USHER_AUTH_METRICS_PORT: String(await freePort()),
    USHER_AUTH_ES_URL: testNatsUrl(),
    ...testCallerEnv(),
    ...env,
  });
  const usersDb = await createTestDatabase('users');
  const httpPort = await freePort();
  let users: ServiceProcess;
  try {
    users = await spawnService(USERS_MAIN, usersDb, httpPort, {
      USHER_DB_URL: usersDb.url,
      USHER_USERS_HTTP_HOST: '127.0.0.1',
      USHER_USERS_HTTP_PORT: String(httpPort),
      USHER_AUTH_GRPC_URL: `127.0.0.1:${grpcPort}`,
      USHER_BCRYPT_COST: '4',
      USHER_USERS_ADMIN_EMAIL: OWNER.email,
      USHER_USERS_ADMIN_USERNAME: OWNER.username,
      USHER_USERS_ADMIN_PASSWORD: OWNER.password,
      USHER_USERS_ES_URL: testNatsUrl(),
      ...testCallerEnv(),
      ...env,
    });
  } catch (err) {
    await auth.stop();
    throw err;
  }
  return {
    usersUrl: `http://127.0.0.1:${httpPort}`,
    auth,
    users,
    async stop() {
      await users.stop();
      await auth.stop();
    },
  };
}
