import crypto from 'crypto';
import path from 'path';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { Client } from 'pg';
import { adminDbUrl, freePort, waitForPort } from '@usher/testkit';
import { AUTH_MAIN } from './harness';
import { USERS_MAIN } from './process-stack';

// docker/postgres/init-databases.sh (the script compose runs on the first start of postgres), run with
// psql against the real PostgreSQL, then both services started as their own processes with their own
// roles: migrations run as the role (it owns its schema), and neither role can read the other's tables.

const SCRIPT = path.join(__dirname, '../../../docker/postgres/init-databases.sh');
const admin = new URL(adminDbUrl());
const sfx = crypto.randomBytes(4).toString('hex');
const ROLES = { users: `usher_users_${sfx}`, auth: `usher_auth_${sfx}` };

async function query(user: string, database: string, sql: string) {
  const pg = new Client({
    host: admin.hostname,
    port: Number(admin.port || 5432),
    user,
    password: 'role-password-' + sfx,
    database,
  });
  await pg.connect();
  try {
    return (await pg.query(sql)).rows;
  } finally {
    await pg.end();
  }
}

/** The pg error message of a query expected to fail. */
const denied = (user: string, database: string, sql: string) =>
  query(user, database, sql).then(
    () => 'allowed',
    (err: Error) => err.message,
  );

function runInitScript(usersDb: string, authDb: string) {
  const result = spawnSync('sh', [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PGHOST: admin.hostname,
      PGPORT: admin.port || '5432',
      PGPASSWORD: decodeURIComponent(admin.password),
      POSTGRES_USER: decodeURIComponent(admin.username) || 'postgres',
      POSTGRES_DB: 'postgres',
      USHER_USERS_DB_NAME: usersDb,
      USHER_AUTH_DB_NAME: authDb,
      USHER_USERS_DB_USER: ROLES.users,
      USHER_AUTH_DB_USER: ROLES.auth,
      USHER_USERS_DB_PASS: 'role-password-' + sfx,
      USHER_AUTH_DB_PASS: 'role-password-' + sfx,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`init-databases.sh failed: ${result.stderr}`);
}

async function spawnMain(main: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${path.basename(main)} exited with ${code}: ${output}`))),
  );
  await Promise.race([waitForPort(port, '127.0.0.1', 60_000), exited]);
  return child;
}

const stop = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const dbVars = (prefix: string, role: string, database: string) => ({
  [`${prefix}_DB_HOST`]: admin.hostname,
  [`${prefix}_DB_PORT`]: admin.port || '5432',
  [`${prefix}_DB_USER`]: role,
  [`${prefix}_DB_PASS`]: 'role-password-' + sfx,
  [`${prefix}_DB_NAME`]: database,
});

/** Starts auth then users, each as its own role on its database; stops them at the end. */
async function startBoth(usersDb: string, authDb: string) {
  const grpcPort = await freePort();
  const auth = await spawnMain(AUTH_MAIN, grpcPort, {
    ...dbVars('USHER_AUTH', ROLES.auth, authDb),
    USHER_AUTH_GRPC_HOST: '127.0.0.1',
    USHER_AUTH_GRPC_PORT: String(grpcPort),
    USHER_AUTH_HTTP_HOST: '127.0.0.1',
    USHER_AUTH_METRICS_PORT: String(await freePort()),
    USHER_AUTH_ES_URL: '',
    USHER_AUTH_LOG_LEVEL: 'warn',
  });
  const httpPort = await freePort();
  let users: ChildProcess;
  try {
    users = await spawnMain(USERS_MAIN, httpPort, {
      ...dbVars('USHER_USERS', ROLES.users, usersDb),
      USHER_USERS_HTTP_HOST: '127.0.0.1',
      USHER_USERS_HTTP_PORT: String(httpPort),
      USHER_AUTH_GRPC_URL: `127.0.0.1:${grpcPort}`,
      USHER_BCRYPT_COST: '4',
      USHER_USERS_ADMIN_PASSWORD: 'owner-password-123',
      USHER_USERS_ES_URL: 'nats://127.0.0.1:1',
      USHER_USERS_LOG_LEVEL: 'warn',
    });
  } catch (err) {
    await stop(auth);
    throw err;
  }
  return () => Promise.all([stop(users), stop(auth)]);
}

async function cleanup(databases: string[]) {
  const pg = new Client({ connectionString: admin.toString() });
  await pg.connect();
  try {
    for (const db of databases) await pg.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await pg.end();
  }
}

async function dropRoles() {
  const pg = new Client({ connectionString: admin.toString() });
  await pg.connect();
  try {
    for (const role of Object.values(ROLES)) await pg.query(`DROP ROLE IF EXISTS "${role}"`);
  } finally {
    await pg.end();
  }
}

afterAll(dropRoles);

describe('compose shape: a database and a role per service', () => {
  const usersDb = `usher_roles_users_${sfx}`;
  const authDb = `usher_roles_auth_${sfx}`;
  let stopBoth: () => Promise<unknown>;

  beforeAll(async () => {
    runInitScript(usersDb, authDb);
    runInitScript(usersDb, authDb); // idempotent: a second run changes nothing and fails nothing
    stopBoth = await startBoth(usersDb, authDb);
  }, 180_000);
  afterAll(async () => {
    await stopBoth?.();
    await cleanup([usersDb, authDb]);
  });

  it('each service migrated its own schema as its own role, which owns it', async () => {
    const [authSchema] = await query(
      ROLES.auth,
      authDb,
      `SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'auth'`,
    );
    expect(authSchema?.owner).toBe(ROLES.auth);
    const keys = await query(ROLES.auth, authDb, 'SELECT kid FROM auth.signing_keys');
    expect(keys.length).toBeGreaterThan(0);
    const owner = await query(
      ROLES.users,
      usersDb,
      `SELECT tableowner FROM pg_tables WHERE schemaname = 'users' AND tablename = 'users'`,
    );
    expect(owner).toEqual([{ tableowner: ROLES.users }]);
    expect((await query(ROLES.users, usersDb, 'SELECT count(*)::int AS n FROM users.users'))[0].n).toBe(1);
  });

  it('the users role cannot even connect to the auth database, nor the auth role to the users one', async () => {
    expect(await denied(ROLES.users, authDb, 'SELECT 1')).toMatch(/permission denied for database/);
    expect(await denied(ROLES.auth, usersDb, 'SELECT 1')).toMatch(/permission denied for database/);
  });
});

describe('one database for both (e.g. one managed cluster database): the schemas keep them apart', () => {
  const db = `usher_roles_shared_${sfx}`;
  let stopBoth: () => Promise<unknown>;

  beforeAll(async () => {
    runInitScript(db, db);
    stopBoth = await startBoth(db, db);
  }, 180_000);
  afterAll(async () => {
    await stopBoth?.();
    await cleanup([db]);
  });

  it('the users role cannot read auth.signing_keys; the auth role can', async () => {
    expect(await denied(ROLES.users, db, 'SELECT private_key FROM auth.signing_keys')).toMatch(
      /permission denied for schema auth/,
    );
    expect(await denied(ROLES.users, db, 'SELECT * FROM auth.sessions')).toMatch(/permission denied/);
    expect(await query(ROLES.auth, db, 'SELECT kid FROM auth.signing_keys')).not.toHaveLength(0);
  });

  it('the auth role cannot read users.users or the credentials; the users role can', async () => {
    expect(await denied(ROLES.auth, db, 'SELECT * FROM users.users')).toMatch(
      /permission denied for schema users/,
    );
    expect(await denied(ROLES.auth, db, 'SELECT * FROM users.credentials')).toMatch(/permission denied/);
    expect(await query(ROLES.users, db, 'SELECT id FROM users.users')).toHaveLength(1);
  });

  it('neither role can grant itself into the other schema or take it over', async () => {
    expect(await denied(ROLES.users, db, `GRANT USAGE ON SCHEMA auth TO "${ROLES.users}"`)).toMatch(
      /permission denied|must be owner/,
    );
    expect(await denied(ROLES.users, db, `ALTER SCHEMA auth OWNER TO "${ROLES.users}"`)).toMatch(
      /must be owner/,
    );
    expect(await denied(ROLES.auth, db, `DROP SCHEMA users CASCADE`)).toMatch(/must be owner/);
  });
});
