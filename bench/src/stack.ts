import crypto from 'crypto';
import os from 'os';
import path from 'path';
import { dropDatabase, ensureDatabase, ensurePostgres } from '@usher/devstack';
import { freePort } from '@usher/testkit';
import { rssMb, spawnNode, waitIdle, waitListening, type Proc } from './procs';
import { benchCallerEnv } from './callers';

const ROOT = path.join(__dirname, '..', '..');
export const AUTH_MAIN = path.join(ROOT, 'services', 'auth', 'dist', 'main.js');
export const USERS_MAIN = path.join(ROOT, 'services', 'users', 'dist', 'main.js');
export const CHILDREN = path.join(__dirname, 'children');

/** The knobs every row prints: they decide what "the same cost and thread-pool size" means. */
export interface BenchSettings {
  quick: boolean;
  bcryptCost: number;
  threadPool: number;
  natsUrl: string;
  /** Seconds of each side's timed load (split into `rounds`), for the fast rows. */
  seconds: number;
  /** The same for the rows bound by password hashing (login, register, peer): fewer, longer requests. */
  hashSeconds: number;
  /** Usher and its baseline alternate this many times (a b a b ...) to share the machine's noise. */
  rounds: number;
}

export function benchSettings(quick: boolean, env = process.env): BenchSettings {
  return {
    quick,
    // cost 12 is the service default; --quick uses 10 so a few seconds still give ~100 sign-ins
    bcryptCost: Number(env.USHER_BENCH_BCRYPT_COST || (quick ? 10 : 12)),
    // libuv's default pool size, set explicitly for the services and for every baseline
    threadPool: Number(env.USHER_BENCH_UV_THREADPOOL_SIZE || 4),
    natsUrl: env.USHER_BENCH_NATS_URL || 'nats://127.0.0.1:4222',
    seconds: Number(env.USHER_BENCH_SECONDS || (quick ? 3 : 15)),
    hashSeconds: Number(env.USHER_BENCH_HASH_SECONDS || (quick ? 5 : 24)),
    rounds: quick ? 1 : 3,
  };
}

let postgres: Promise<{ url: string; stop?: () => Promise<void> }> | undefined;

/** The PostgreSQL every row uses (the local server, else an embedded one kept between runs). */
export function benchPostgres() {
  postgres ??= ensurePostgres({
    url:
      process.env.USHER_BENCH_DB_URL ||
      process.env.USHER_TEST_DB_URL ||
      'postgres://postgres@127.0.0.1:5432/postgres',
    dataDir: path.join(os.tmpdir(), 'usher-bench-pg'),
    port: 54777,
    persistent: true,
  }).then((pg) => {
    // users-search looks for its server the same way: point it at this one rather than a second start
    if (pg.stop) process.env.USHER_BENCH_DB_URL = pg.url;
    return pg;
  });
  return postgres;
}

export async function stopBenchPostgres() {
  const pg = await postgres;
  postgres = undefined;
  await pg?.stop?.();
}

/** A database of its own for this run, dropped by `drop()`. */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = (await benchPostgres()).url;
  const name = `usher_bench_${label}_${crypto.randomBytes(4).toString('hex')}`;
  await ensureDatabase(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(admin, name) };
}

export interface AuthReplica {
  proc: Proc;
  address: string;
}

/** auth + users as two processes (`node services/*\/dist/main.js`) on loopback ports and a fresh database. */
export class BenchStack {
  /** RSS in MB right after start, once settled. */
  idleRss: Record<string, number> = {};
  private readonly replicas: AuthReplica[] = [];

  private constructor(
    readonly settings: BenchSettings,
    readonly dbUrl: string,
    private readonly dropDb: () => Promise<void>,
    readonly auth: AuthReplica,
    readonly users: Proc,
    readonly usersUrl: string,
    readonly ownerPassword: string,
  ) {}

  static async start(settings: BenchSettings): Promise<BenchStack> {
    const db = await freshDatabase('stack');
    const common = {
      NODE_ENV: 'production',
      USHER_DB_URL: db.url,
      UV_THREADPOOL_SIZE: String(settings.threadPool),
    };
    let auth: AuthReplica | undefined;
    let users: Proc | undefined;
    try {
      auth = await startAuth('auth', common, settings);
      const port = await freePort();
      const ownerPassword = crypto.randomBytes(12).toString('base64url');
      users = spawnNode(
        'users',
        USERS_MAIN,
        {
          ...common,
          USHER_USERS_LOG_LEVEL: 'info',
          USHER_USERS_HTTP_HOST: '127.0.0.1',
          USHER_USERS_HTTP_PORT: String(port),
          USHER_AUTH_GRPC_URL: auth.address,
          USHER_USERS_ES_URL: settings.natsUrl,
          USHER_BCRYPT_COST: String(settings.bcryptCost),
          USHER_USERS_ADMIN_PASSWORD: ownerPassword,
          USHER_USERS_INSTANCE_ID: 'bench-users',
          // the rows sign up through the public route: production defaults turn it off (issue 18)
          USHER_USERS_ALLOW_SELF_REGISTER: 'true',
          USHER_USERS_ALLOW_UNVERIFIED_USER: 'true',
          ...benchCallerEnv(),
        },
        { profile: true },
      );
      await waitListening(users, port);
      const stack = new BenchStack(
        settings,
        db.url,
        db.drop,
        auth,
        users,
        `http://127.0.0.1:${port}`,
        ownerPassword,
      );
      await new Promise((r) => setTimeout(r, 1000));
      stack.idleRss = stack.rss();
      return stack;
    } catch (error) {
      await users?.stop();
      await auth?.proc.stop();
      await db.drop().catch(() => undefined);
      throw error;
    }
  }

  /** Another auth replica on the same database (and NATS). */
  async startAuthReplica(name: string): Promise<AuthReplica> {
    const replica = await startAuth(
      name,
      {
        NODE_ENV: 'production',
        USHER_DB_URL: this.dbUrl,
        UV_THREADPOOL_SIZE: String(this.settings.threadPool),
      },
      this.settings,
    );
    this.replicas.push(replica);
    return replica;
  }

  /** Waits until auth, users, any replica and `others` are idle (see waitIdle). */
  async settle(others: Proc[] = []): Promise<void> {
    const ms = await waitIdle(
      [this.auth.proc, this.users, ...this.replicas.map((r) => r.proc), ...others].map((p) => p.pid),
    );
    if (ms > 5000) console.warn(`(waited ${(ms / 1000).toFixed(1)} s for the services to go idle)`);
  }

  rss(): Record<string, number> {
    return { auth: rssMb(this.auth.proc.pid), users: rssMb(this.users.pid) };
  }

  async stop(): Promise<void> {
    await this.users.stop();
    await Promise.all([this.auth, ...this.replicas].map((r) => r.proc.stop()));
    await this.dropDb().catch(() => undefined);
  }
}

async function startAuth(
  name: string,
  common: Record<string, string>,
  settings: BenchSettings,
): Promise<AuthReplica> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const proc = spawnNode(
    name,
    AUTH_MAIN,
    {
      ...common,
      USHER_AUTH_LOG_LEVEL: 'info',
      USHER_AUTH_GRPC_HOST: '127.0.0.1',
      USHER_AUTH_GRPC_PORT: String(grpcPort),
      USHER_AUTH_HTTP_HOST: '127.0.0.1',
      USHER_AUTH_HTTP_PORT: String(httpPort),
      USHER_AUTH_ES_URL: settings.natsUrl,
      USHER_AUTH_INSTANCE_ID: `bench-${name}`,
      ...benchCallerEnv(),
      // auth reads NODE_ENV only to demand mTLS; the bench runs it plaintext on loopback, callers
      // named by their secrets (the permission check runs on every call all the same)
      NODE_ENV: 'development',
    },
    { profile: true },
  );
  await waitListening(proc, grpcPort);
  return { proc, address: `127.0.0.1:${grpcPort}` };
}
