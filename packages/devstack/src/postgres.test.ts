import { Client } from 'pg';
import { canConnect, dropDatabase, ensureDatabase } from './postgres';

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
