import net from 'net';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { loadAuthConfig, loadUsersConfig, redactUrl, type Env } from '@usher/config';
import { startEmbeddedPostgres } from './embedded';
import { LauncherError } from './errors';
import { ensureDatabase, probePostgres } from './postgres';
import { ensureKeyEncryptionKey } from './secrets';

export interface StackOptions {
  /** Repository root (holds services/ and .usher/). */
  root: string;
  env: Env;
  /** Where status lines go. */
  say: (line: string) => void;
}

export interface RunningStack {
  usersUrl: string;
  authAddress: string;
  postgres: 'configured' | 'embedded';
  /** Data directory of the embedded PostgreSQL, when one runs. */
  postgresDataDir?: string;
  natsUp: boolean;
  /** Resolves when a service exits on its own. */
  exited: Promise<{ service: string; code: number | null }>;
  stop(): Promise<void>;
}

const tcpReachable = (host: string, port: number, timeoutMs = 1000) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** Fails early, with the variable to change, when something else already listens on a port we need. */
async function assertFree(host: string, port: number, what: string, variable: string) {
  if (await tcpReachable(host, port, 500))
    throw new LauncherError(
      `port ${port} on ${host}, wanted by ${what}, is already in use (another Usher still running?)`,
      `Stop what listens there or set ${variable} to a free port`,
    );
}

async function waitForPort(
  host: string,
  port: number,
  child: ChildProcess,
  service: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new LauncherError(
        `${service} exited with code ${child.exitCode} while starting`,
        `Its reason is in the [${service}] lines above`,
      );
    if (await tcpReachable(host, port, 500)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LauncherError(
    `${service} did not listen on ${host}:${port} within ${timeoutMs / 1000}s`,
    `See the [${service}] lines above; on a slow machine, start again`,
  );
}

function pipeWithPrefix(child: ChildProcess, prefix: string) {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix} ${line}\n`);
    });
  }
}

const dbVars = (prefix: string, url: URL, name: string): Env => ({
  [`${prefix}_DB_HOST`]: url.hostname,
  [`${prefix}_DB_PORT`]: url.port || '5432',
  [`${prefix}_DB_USER`]: decodeURIComponent(url.username),
  [`${prefix}_DB_PASS`]: decodeURIComponent(url.password),
  [`${prefix}_DB_NAME`]: name,
});

/**
 * The configured PostgreSQL when both databases answer (undefined), else an embedded one with the
 * `users` and `auth` databases, pointed to by `env` from then on. Says why when it falls back.
 */
async function choosePostgres(root: string, env: Env, say: (line: string) => void) {
  const usersConfig = loadUsersConfig(env);
  const authConfig = loadAuthConfig(env);
  const configured = usersConfig.db.url
    ? usersConfig.db.url
    : {
        host: usersConfig.db.host,
        port: usersConfig.db.port,
        user: usersConfig.db.user,
        password: usersConfig.db.password,
        database: usersConfig.db.database,
      };
  const authConfigured = authConfig.db.url
    ? authConfig.db.url
    : {
        host: authConfig.db.host,
        port: authConfig.db.port,
        user: authConfig.db.user,
        password: authConfig.db.password,
        database: authConfig.db.database,
      };
  const where = usersConfig.db.url ? 'USHER_DB_URL' : `${usersConfig.db.host}:${usersConfig.db.port}`;
  const usersProbe = await probePostgres(configured);
  const authProbe = usersProbe.ok ? await probePostgres(authConfigured) : usersProbe;
  if (usersProbe.ok && authProbe.ok) {
    say(`PostgreSQL: using the configured server (${where})`);
    return undefined;
  }
  const port = Number(env.USHER_DEV_PG_PORT || 54329);
  const dataDir = path.join(env.USHER_DEV_DATA_DIR || path.join(root, '.usher'), 'postgres');
  const reason = !usersProbe.ok ? usersProbe.reason : !authProbe.ok ? authProbe.reason : '';
  const whose = !usersProbe.ok ? 'users' : 'auth';
  say(`PostgreSQL: the configured server (${where}, ${whose} database) cannot be used: ${reason}.`);
  say(
    `PostgreSQL: starting an embedded PostgreSQL on 127.0.0.1:${port} instead (data in ${dataDir}); set USHER_DB_URL or the USHER_*_DB_* variables to use yours`,
  );
  await assertFree('127.0.0.1', port, 'the embedded PostgreSQL', 'USHER_DEV_PG_PORT');
  const embedded = await startEmbeddedPostgres({ dataDir, port, say });
  await ensureDatabase(embedded.url, 'users');
  await ensureDatabase(embedded.url, 'auth');
  const url = new URL(embedded.url);
  delete env.USHER_DB_URL;
  Object.assign(env, dbVars('USHER_USERS', url, 'users'), dbVars('USHER_AUTH', url, 'auth'));
  return embedded;
}

/**
 * Starts auth and users as two processes: PostgreSQL from USHER_DB_URL / USHER_*_DB_* when it answers,
 * else an embedded one under .usher/postgres; NATS when it answers, else a warning.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { root, say } = options;
  const env: Env = { ...options.env };
  // signing keys are sealed at rest in development too, under a KEK kept in .usher/auth-kek
  env.USHER_AUTH_KEY_ENCRYPTION_KEY ||= ensureKeyEncryptionKey(
    env.USHER_DEV_DATA_DIR || path.join(root, '.usher'),
  );
  const usersConfig = loadUsersConfig(env);
  const authConfig = loadAuthConfig(env);

  const embedded = await choosePostgres(root, env, say);
  const postgres: RunningStack['postgres'] = embedded ? 'embedded' : 'configured';

  const nats = new URL(usersConfig.natsUrl);
  const natsUp = await tcpReachable(nats.hostname, Number(nats.port || 4222));
  if (!natsUp) {
    say(
      `WARNING: NATS does not answer at ${redactUrl(usersConfig.natsUrl)}: sessions are revoked through the PostgreSQL poll only,`,
    );
    say(
      `         and user events will wait until NATS is reachable (set USHER_USERS_ES_URL / USHER_AUTH_ES_URL).`,
    );
  }

  const children: { service: string; child: ChildProcess }[] = [];
  const spawnService = (service: string) => {
    const child = spawn(process.execPath, [path.join(root, 'services', service, 'dist', 'main.js')], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeWithPrefix(child, `[${service}]`);
    children.push({ service, child });
    return child;
  };
  const stopChildren = async () => {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => (clearTimeout(force), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  const authHost = authConfig.grpc.host === '0.0.0.0' ? '127.0.0.1' : authConfig.grpc.host;
  const usersHost = usersConfig.http.host === '0.0.0.0' ? '127.0.0.1' : usersConfig.http.host;
  try {
    await assertFree(authHost, authConfig.grpc.port, 'the auth gRPC server', 'USHER_AUTH_GRPC_PORT');
    await assertFree(usersHost, usersConfig.http.port, 'the users HTTP server', 'USHER_USERS_HTTP_PORT');
    const auth = spawnService('auth');
    await waitForPort(authHost, authConfig.grpc.port, auth, 'auth');
    const users = spawnService('users');
    await waitForPort(usersHost, usersConfig.http.port, users, 'users');
  } catch (error) {
    await stopChildren();
    await embedded?.stop();
    throw error;
  }

  const exited = Promise.race(
    children.map(
      ({ service, child }) =>
        new Promise<{ service: string; code: number | null }>((resolve) =>
          child.once('exit', (code) => resolve({ service, code })),
        ),
    ),
  );
  const scheme = usersConfig.http.tls.cert ? 'https' : 'http';
  return {
    usersUrl: `${scheme}://${usersConfig.http.host === '0.0.0.0' ? 'localhost' : usersConfig.http.host}:${usersConfig.http.port}`,
    authAddress: `${authConfig.grpc.host}:${authConfig.grpc.port}`,
    postgres,
    postgresDataDir: embedded?.dataDir,
    natsUp,
    exited,
    async stop() {
      await stopChildren();
      await embedded?.stop();
    },
  };
}
