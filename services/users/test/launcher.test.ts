import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { freePort, waitFor } from '@usher/testkit';

const LAUNCHER = path.join(__dirname, '../../../packages/devstack/dist/main.js');

// `pnpm start` on a machine with no usable PostgreSQL: the launcher must bring an embedded one,
// start auth and users, print how to sign in, and stop everything on Ctrl+C.
describe('one-command start (packages/devstack)', () => {
  it('starts auth + users on an embedded PostgreSQL, lets the generated owner sign in, and stops on SIGINT', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-launcher-'));
    fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach it
    const [httpPort, grpcPort, authHttpPort, pgPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const child = spawn(process.execPath, [LAUNCHER], {
      env: {
        PATH: process.env.PATH,
        USHER_DB_URL: 'postgres://nobody:nothing@127.0.0.1:1/none', // unreachable: forces the embedded server
        USHER_DEV_DATA_DIR: dataDir,
        USHER_DEV_PG_PORT: String(pgPort),
        USHER_USERS_HTTP_PORT: String(httpPort),
        USHER_AUTH_GRPC_PORT: String(grpcPort),
        USHER_AUTH_GRPC_URL: `localhost:${grpcPort}`,
        USHER_AUTH_HTTP_PORT: String(authHttpPort),
        USHER_BCRYPT_COST: '4',
        USHER_USERS_LOG_LEVEL: 'warn',
        USHER_AUTH_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => output.includes('Usher is running.') || child.exitCode !== null, 90_000, 100);
      expect(output).toContain('Usher is running.');
      expect(output).toContain('starting an embedded PostgreSQL');
      expect(output).toContain(`http://localhost:${httpPort}`);
      expect(output).toContain('/users/tokens/issue');

      const health = await fetch(`http://localhost:${httpPort}/health`);
      expect(health.status).toBe(200);
      const password = /shown only this once: (\S+)/.exec(output)?.[1];
      expect(password).toBeDefined();
      const signIn = await fetch(`http://localhost:${httpPort}/users/tokens/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: 'admin@example.com', secret: password }),
      });
      expect(signIn.status).toBe(201);
      const { access_token } = (await signIn.json()) as { access_token: string };
      const profile = await fetch(`http://localhost:${httpPort}/users/profile`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(await profile.json()).toMatchObject({ email: 'admin@example.com', role: 'owner' });
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) console.log(output);
      expect(code).toBe(0);
    }
    expect(output).toContain('stopping');
    // the waits above allow 90 s: the embedded PostgreSQL alone can take 30 s on a loaded machine
  }, 150_000);
});
