import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { canConnect, dropDatabase, ensureDatabase, probePostgres } from './postgres';
import { reachableByOthers } from './runtime';

const admin = () => process.env.USHER_TEST_DB_URL!;

describe('PostgreSQL helpers', () => {
  it('tells a server that answers from one that does not', async () => {
    await expect(canConnect(admin())).resolves.toBe(true);
    await expect(canConnect('postgres://nobody:x@127.0.0.1:1/none', 500)).resolves.toBe(false);
  });

  it('says why a server cannot be used: refused, unknown user, missing database', async () => {
    await expect(probePostgres('postgres://x@127.0.0.1:1/none', 500)).resolves.toEqual({
      ok: false,
      reason: 'connection refused at 127.0.0.1:1',
    });
    const url = new URL(admin());
    url.username = 'usher_no_such_user';
    await expect(probePostgres(url.toString())).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/"usher_no_such_user"/),
    });
    const missing = new URL(admin());
    missing.pathname = '/usher_no_such_db';
    await expect(probePostgres(missing.toString())).resolves.toEqual({
      ok: false,
      reason: 'database "usher_no_such_db" does not exist',
    });
    await expect(probePostgres(admin())).resolves.toEqual({ ok: true });
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
