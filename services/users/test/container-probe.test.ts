import path from 'path';
import { spawn } from 'child_process';
import { Client } from 'pg';
import { createTestDatabase, freePort, testNatsUrl, type TestDatabase } from '@usher/testkit';
import { OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';

// docker/usher-probe.js, the images' HEALTHCHECK and the Kubernetes migration Job's entry point, run
// here exactly as in the containers (node usher-probe.js health|migrate) against the built services.

const REPO = path.join(__dirname, '../../..');
const PROBE = path.join(REPO, 'docker/usher-probe.js');
const MAIN = {
  auth: path.join(REPO, 'services/auth/dist/main.js'),
  users: path.join(REPO, 'services/users/dist/main.js'),
};

function probe(command: string, env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE, command], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`usher-probe ${command} did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function tables(url: string, schema: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(
      'select table_name from information_schema.tables where table_schema = $1',
      [schema],
    );
    return res.rows.map((r) => r.table_name as string).sort();
  } finally {
    await client.end();
  }
}

describe('usher-probe.js health (Docker HEALTHCHECK)', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let authHttpPort: number;

  beforeAll(async () => {
    authHttpPort = await freePort();
    auth = await startAuthProcess({ USHER_AUTH_HTTP_PORT: String(authHttpPort) });
    users = await startUsers(auth.address);
  }, 60_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('exits 0 while the service answers /health, 1 when it does not', async () => {
    const usersPort = String(users.handle.port);
    expect((await probe('health', { USHER_SERVICE: 'users', USHER_USERS_HTTP_PORT: usersPort })).code).toBe(
      0,
    );
    expect(
      (await probe('health', { USHER_SERVICE: 'auth', USHER_AUTH_HTTP_PORT: String(authHttpPort) })).code,
    ).toBe(0);
    const closed = String(await freePort());
    expect((await probe('health', { USHER_SERVICE: 'users', USHER_USERS_HTTP_PORT: closed })).code).toBe(1);
    expect((await probe('health', { USHER_SERVICE: 'auth', USHER_AUTH_HTTP_PORT: closed })).code).toBe(1);
    const unknown = await probe('health', { USHER_SERVICE: 'gateway' });
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/USHER_SERVICE must be users or auth/);
  });
});

describe('usher-probe.js migrate (the migration Job)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migratejob');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates both schemas into an empty database, then drains the services and exits 0', async () => {
    expect(await tables(db.url, 'auth')).toEqual([]);
    const auth = await probe('migrate', {
      USHER_SERVICE: 'auth',
      USHER_MAIN: MAIN.auth,
      USHER_DB_URL: db.url,
      USHER_AUTH_GRPC_HOST: '127.0.0.1',
      USHER_AUTH_GRPC_PORT: String(await freePort()),
      USHER_AUTH_HTTP_HOST: '127.0.0.1',
      USHER_AUTH_HTTP_PORT: String(await freePort()),
      USHER_AUTH_ES_URL: testNatsUrl(),
      USHER_AUTH_LOG_LEVEL: 'warn',
    });
    expect(auth.output).toMatch(/auth migrated and drained \(exit 0\)/);
    expect(auth.code).toBe(0);
    expect((await tables(db.url, 'auth')).length).toBeGreaterThan(0);

    const users = await probe('migrate', {
      USHER_SERVICE: 'users',
      USHER_MAIN: MAIN.users,
      USHER_DB_URL: db.url,
      USHER_USERS_HTTP_HOST: '127.0.0.1',
      USHER_USERS_HTTP_PORT: String(await freePort()),
      USHER_AUTH_GRPC_URL: '127.0.0.1:9', // not called while migrating
      USHER_USERS_ADMIN_EMAIL: OWNER.email,
      USHER_USERS_ADMIN_PASSWORD: OWNER.password,
      USHER_BCRYPT_COST: '4',
      USHER_USERS_ES_URL: testNatsUrl(),
      USHER_USERS_LOG_LEVEL: 'warn',
    });
    expect(users.output).toMatch(/users migrated and drained \(exit 0\)/);
    expect(users.code).toBe(0);
    expect(await tables(db.url, 'users')).toContain('users');
  });

  it('fails (exit 1) when the service cannot start, e.g. the database is unreachable', async () => {
    const res = await probe('migrate', {
      USHER_SERVICE: 'auth',
      USHER_MAIN: MAIN.auth,
      USHER_DB_URL: `postgres://usher:usher@127.0.0.1:${await freePort()}/auth`,
      USHER_AUTH_GRPC_PORT: String(await freePort()),
      USHER_AUTH_HTTP_PORT: String(await freePort()),
    });
    expect(res.code).toBe(1);
    expect(res.output).toMatch(/auth exited before it became healthy/);
  });
});
