import { Client, type ClientConfig } from 'pg';
import { startEmbeddedPostgres } from './embedded';

/** Whether a PostgreSQL server accepts a connection, and if not, why (one short phrase). */
export type Probe = { ok: true } | { ok: false; reason: string };

/** Says why a connection attempt failed, in words a person can act on. */
export function describeFailure(error: unknown, options: ClientConfig): string {
  const e = error as { code?: string; message?: string };
  const where = `${options.host ?? 'localhost'}:${options.port ?? 5432}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused at ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${options.host ?? 'localhost'} not found`;
    case '28P01':
      return `authentication failed for user "${options.user ?? 'postgres'}"`;
    case '28000':
      return /role .* does not exist/.test(e.message ?? '')
        ? `user "${options.user ?? 'postgres'}" does not exist on the server at ${where}`
        : `authentication failed for user "${options.user ?? 'postgres'}" (${e.message})`;
    case '3D000':
      return `database "${options.database ?? options.user ?? 'postgres'}" does not exist`;
    case '53300':
      return `too many connections at ${where}`;
    case '57P03':
      return `the server at ${where} is starting up or shutting down`;
    default:
      if (/timeout/i.test(e.message ?? '')) return `no answer from ${where}`;
      return (e.message ?? String(error)).split('\n')[0] ?? 'unknown error';
  }
}

/** Connects once and says whether it worked and, if not, why. */
export async function probePostgres(config: ClientConfig | string, timeoutMs = 2000): Promise<Probe> {
  const options: ClientConfig = typeof config === 'string' ? parseUrl(config) : { ...config };
  const client = new Client({ ...options, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeFailure(error, options) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function parseUrl(connectionString: string): ClientConfig {
  try {
    const url = new URL(connectionString);
    return {
      connectionString,
      host: url.hostname || 'localhost',
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username) || undefined,
      database: url.pathname.slice(1) || undefined,
    };
  } catch {
    return { connectionString };
  }
}

/** True when a PostgreSQL server accepts these credentials within the timeout. */
export async function canConnect(config: ClientConfig | string, timeoutMs = 2000): Promise<boolean> {
  return (await probePostgres(config, timeoutMs)).ok;
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
