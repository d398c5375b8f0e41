import { Client } from 'pg';
import { createTestDatabase, freePort, waitFor, waitForPort } from './index';
import net from 'net';

describe('createTestDatabase', () => {
  it('creates a usable database and drops it', async () => {
    const db = await createTestDatabase('kit');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('select current_database() as name');
    await client.end();
    expect(rows[0].name).toBe(db.name);
    await db.drop();
    const again = new Client({ connectionString: db.url });
    await expect(again.connect()).rejects.toThrow(/does not exist/);
  });
});

describe('ports', () => {
  it('finds a free port and sees a listener on it', async () => {
    const port = await freePort();
    const server = net.createServer().listen(port, '127.0.0.1');
    await expect(waitForPort(port)).resolves.toBe(true);
    server.close();
  });

  it('waitFor gives up with a clear error', async () => {
    await expect(waitFor(() => false, 100)).rejects.toThrow(/not met within 100 ms/);
  });
});
