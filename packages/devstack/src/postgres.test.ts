import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { canConnect, dropDatabase, ensureDatabase, reachableByOthers } from './postgres';

const admin = () => process.env.USHER_TEST_DB_URL!;

describe('PostgreSQL helpers', () => {
  it('tells a server that answers from one that does not', async () => {
    await expect(canConnect(admin())).resolves.toBe(true);
    await expect(canConnect('postgres://nobody:x@127.0.0.1:1/none', 500)).resolves.toBe(false);
  });

  it('creates a database once (idempotent) and drops it', async () => {
    const name = `usher_devstack_${process.pid}`;
    await ensureDatabase(admin(), name);
    await ensureDatabase(admin(), name);
    const url = new URL(admin());
    url.pathname = `/${name}`;
    await expect(canConnect(url.toString())).resolves.toBe(true);
    await dropDatabase(admin(), name);
    const client = new Client({ connectionString: url.toString() });
    await expect(client.connect()).rejects.toThrow(/does not exist/);
  });

  it('refuses database names that are not plain identifiers', async () => {
    await expect(ensureDatabase(admin(), 'x"; drop database postgres; --')).rejects.toThrow(
      /unsafe database name/,
    );
    await expect(dropDatabase(admin(), 'Robert')).rejects.toThrow(/unsafe database name/);
  });
});

describe('reachableByOthers', () => {
  it('keeps a data directory the postgres user can reach, and moves one it cannot', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-reach-'));
    fs.chmodSync(base, 0o755);
    expect(reachableByOthers(path.join(base, 'pg'))).toBe(path.join(base, 'pg'));
    fs.chmodSync(base, 0o700);
    const moved = reachableByOthers(path.join(base, 'pg'));
    expect(moved).not.toContain(base);
    expect(moved).toBe(reachableByOthers(path.join(base, 'pg'))); // stable: found again next start
    fs.rmSync(base, { recursive: true });
  });
});
