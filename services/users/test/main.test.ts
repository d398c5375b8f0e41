import path from 'path';
import { spawn } from 'child_process';
import { createTestDatabase, freePort, testCallerEnv, waitForPort } from '@usher/testkit';
import { startAuthProcess } from './harness';

const MAIN = path.join(__dirname, '../dist/main.js');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('users main', () => {
  it('stops at once with a message naming each invalid variable', async () => {
    const p = run({ USHER_USERS_HTTP_PORT: 'abc', USHER_BCRYPT_COST: '99' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('USHER_USERS_HTTP_PORT: expected a port number');
    expect(p.output()).toContain('USHER_BCRYPT_COST: expected a number between 4 and 31');
  });

  it('serves, then drains and exits 0 on SIGTERM', async () => {
    const auth = await startAuthProcess();
    const db = await createTestDatabase('usersmain');
    const port = await freePort();
    const p = run({
      USHER_DB_URL: db.url,
      USHER_USERS_HTTP_HOST: '127.0.0.1',
      USHER_USERS_HTTP_PORT: String(port),
      USHER_AUTH_GRPC_URL: auth.address,
      USHER_BCRYPT_COST: '4',
      USHER_USERS_ADMIN_PASSWORD: 'owner-password-123',
      ...testCallerEnv(),
    });
    try {
      await waitForPort(port, '127.0.0.1', 30_000);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      // JSON log lines, with the service name, and never the configured password.
      expect(p.output()).toContain('"service":"users"');
      expect(p.output()).not.toContain('owner-password-123');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await auth.stop();
      await db.drop();
    }
  });
});
