import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import YAML from 'yaml';
import { AuthEnv, loadAuthConfig, loadUsersConfig, UsersEnv } from '@usher/config';

// docker/compose.yaml validated and rendered by Debian's docker-compose (1.29: `config` needs no Docker
// engine; images are not built here), then checked for the production shape. The Dockerfile is
// checked statically for the same reason.

const REPO = path.join(__dirname, '../../..');
const DOCKER = path.join(REPO, 'docker');

function findDockerCompose(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [process.env.USHER_TEST_DOCKER_COMPOSE, ...dirs.map((d) => path.join(d, 'docker-compose'))].find(
    (c): c is string => {
      if (!c) return false;
      try {
        fs.accessSync(c, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  );
}

const COMPOSE = findDockerCompose();
const missing = 'docker-compose is not installed (apt-get install -y docker-compose)';
if (!COMPOSE && process.env.USHER_TEST_REQUIRE_SERVICES === '1') {
  throw new Error(`${missing} and USHER_TEST_REQUIRE_SERVICES=1`);
}
if (!COMPOSE) console.warn(`skipping compose tests: ${missing}`);

/** `docker-compose config` with a clean environment: only the env file decides the variables. */
function composeConfig(envFile: string) {
  const result = spawnSync(COMPOSE!, ['-f', 'docker/compose.yaml', '--env-file', envFile, 'config'], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C.UTF-8' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered compose file, checked field by field
type Obj = any;

(COMPOSE ? describe : describe.skip)('docker/compose.yaml', () => {
  let rendered: Obj;
  let services: Record<string, Obj>;

  beforeAll(() => {
    const result = composeConfig('docker/.env.example');
    if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
    rendered = YAML.parse(result.stdout);
    services = rendered.services;
  });

  it('renders with docker-compose config: postgres, nats, jaeger, auth, users, the gateway and an example', () => {
    expect(Object.keys(services).sort()).toEqual([
      'auth',
      'example',
      'gateway',
      'jaeger',
      'nats',
      'postgres',
      'users',
    ]);
    expect(Object.keys(rendered.volumes).sort()).toEqual(['nats-data', 'postgres-data']);
  });

  it('publishes ports on the gateway only (Jaeger UI on the loopback only)', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (name !== 'gateway') expect({ name, ports: svc.ports }).toEqual({ name, ports: undefined });
    }
    expect(services.gateway.ports).toEqual([{ published: 8080, target: 8080 }, '127.0.0.1:16686:16686/tcp']);
    expect(services.gateway.environment).toMatchObject({
      USHER_USERS_UPSTREAM: 'users:9002',
      USHER_GATEWAY_LISTEN: '8080',
      USHER_AUTH_HTTP_UPSTREAM: 'auth:8189',
      USHER_EXAMPLE_UPSTREAM: 'example:8080',
    });
    expect(services.gateway.volumes).toContainEqual(
      expect.stringMatching(/docker\/nginx\/templates:\/etc\/nginx\/templates:ro$/),
    );
  });

  it('starts services in dependency order once their dependencies are healthy', () => {
    const needs = (name: string) =>
      Object.fromEntries(
        Object.entries(services[name].depends_on).map(([k, v]) => [k, (v as Obj).condition]),
      );
    expect(needs('auth')).toEqual({
      postgres: 'service_healthy',
      nats: 'service_healthy',
      jaeger: 'service_started',
    });
    expect(needs('users')).toEqual({
      postgres: 'service_healthy',
      nats: 'service_healthy',
      auth: 'service_healthy',
      jaeger: 'service_started',
    });
    expect(needs('gateway')).toMatchObject({ users: 'service_healthy', auth: 'service_healthy' });
    // every service waited on for health has a healthcheck
    for (const name of ['postgres', 'nats', 'auth', 'users', 'gateway']) {
      expect({ name, test: services[name].healthcheck?.test }).toEqual({ name, test: expect.any(Array) });
    }
    expect(services.postgres.healthcheck.test.join(' ')).toMatch(/pg_isready -h 127\.0\.0\.1/);
    expect(services.auth.healthcheck.test).toEqual(['CMD', 'node', '/app/usher-probe.js', 'health']);
  });

  it('keeps PostgreSQL and JetStream data in volumes; Jaeger ingests OTLP', () => {
    const pg = services.postgres;
    expect(pg.volumes).toContainEqual('postgres-data:/var/lib/postgresql/data:rw');
    expect(pg.volumes).toContainEqual(
      expect.stringMatching(
        /docker\/postgres\/init-databases\.sh:\/docker-entrypoint-initdb\.d\/10-usher-databases\.sh:ro$/,
      ),
    );
    expect(pg.environment).toMatchObject({ USHER_USERS_DB_NAME: 'users', USHER_AUTH_DB_NAME: 'auth' });
    expect(services.nats.command).toEqual(['-c', '/etc/nats/nats.conf', '-js', '-sd', '/data']);
    expect(services.nats.volumes).toContainEqual('nats-data:/data:rw');
    expect(services.nats.volumes).toContainEqual(
      expect.stringMatching(/docker\/nats\/nats\.conf:\/etc\/nats\/nats\.conf:ro$/),
    );
    expect(services.jaeger.image).toMatch(/^jaegertracing\/all-in-one:\d/);
    expect(services.jaeger.environment).toEqual({ COLLECTOR_OTLP_ENABLED: 'true' });
    expect(services.jaeger.expose).toEqual(['4318', '16686']);
    for (const name of ['auth', 'users']) {
      expect(services[name].environment.USHER_JAEGER_URL).toBe('http://jaeger:4318/v1/traces');
    }
  });

  it('runs auth and users from the Dockerfile, hardened, bound to 0.0.0.0, users -> auth:8181', () => {
    for (const name of ['auth', 'users']) {
      const svc = services[name];
      expect(svc.build).toEqual({ context: REPO, dockerfile: 'docker/Dockerfile', target: name });
      expect(svc.image).toBe(`usher/${name}:0.1.0`);
      expect(svc.read_only).toBe(true);
      expect(svc.cap_drop).toEqual(['ALL']);
      expect(svc.security_opt).toEqual(['no-new-privileges:true']);
      expect(svc.tmpfs).toEqual(['/tmp']);
    }
    const users = services.users.environment;
    expect(users).toMatchObject({
      USHER_USERS_HTTP_HOST: '0.0.0.0',
      USHER_AUTH_GRPC_URL: 'auth:8181',
      USHER_USERS_DB_HOST: 'postgres',
      USHER_USERS_ES_URL: 'nats://users:change-me@nats:4222',
      USHER_REQUIRE_AUTHENTICATION: 'true',
    });
    expect(services.auth.environment).toMatchObject({
      USHER_AUTH_GRPC_HOST: '0.0.0.0',
      USHER_AUTH_GRPC_PORT: '8181',
      USHER_AUTH_HTTP_HOST: '0.0.0.0',
      USHER_AUTH_ES_URL: 'nats://auth:change-me@nats:4222',
      // issue 15: users is the one named caller, an issuer, proving its name with its own secret
      USHER_AUTH_CLIENTS: 'users=issuer',
    });
    expect(users.USHER_USERS_AUTH_CLIENT_ID).toBe('users');
  });

  it('gives each service its own database role and its own NATS user', () => {
    const pg = services.postgres.environment;
    expect(pg).toMatchObject({
      USHER_USERS_DB_USER: 'usher_users',
      USHER_AUTH_DB_USER: 'usher_auth',
      USHER_USERS_DB_PASS: 'change-me',
      USHER_AUTH_DB_PASS: 'change-me',
    });
    // the services connect as their roles, never as the superuser
    expect(services.users.environment.USHER_USERS_DB_USER).toBe('usher_users');
    expect(services.auth.environment.USHER_AUTH_DB_USER).toBe('usher_auth');
    const source = fs.readFileSync(path.join(DOCKER, 'compose.yaml'), 'utf8');
    expect(source.match(/\$\{POSTGRES_(USER|PASSWORD)\b/g)).toEqual([
      '${POSTGRES_USER',
      '${POSTGRES_PASSWORD',
    ]);
    expect(services.nats.environment).toEqual({
      USHER_NATS_AUTH_PASSWORD: 'change-me',
      USHER_NATS_USERS_PASSWORD: 'change-me',
      USHER_NATS_CONSUMER_PASSWORD: 'change-me',
    });
    expect(new URL(services.auth.environment.USHER_AUTH_ES_URL).username).toBe('auth');
    expect(new URL(services.users.environment.USHER_USERS_ES_URL).username).toBe('users');
  });

  it('auth refuses to start in production with the example placeholder instead of a key-encryption key', () => {
    expect(services.auth.environment.USHER_AUTH_KEY_ENCRYPTION_KEY).toBe('change-me');
    expect(() => loadAuthConfig(services.auth.environment)).toThrow(
      /USHER_AUTH_KEY_ENCRYPTION_KEY: expected 32 random bytes/,
    );
  });

  it("passes every one of the services' variables, with values the services accept", () => {
    const known = new Set([...Object.keys(UsersEnv.shape), ...Object.keys(AuthEnv.shape)]);
    for (const [name, schema, load] of [
      ['users', UsersEnv, loadUsersConfig],
      ['auth', AuthEnv, loadAuthConfig],
    ] as const) {
      const env = services[name].environment as Record<string, string>;
      const absent = Object.keys(schema.shape).filter((k) => !(k in env));
      expect({ name, absent }).toEqual({ name, absent: [] }); // add it to compose.yaml and .env.example
      const unknown = Object.keys(env).filter((k) => !known.has(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      // with a real key-encryption key in place of the example's change-me
      expect(() =>
        load({ ...env, USHER_AUTH_KEY_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') }),
      ).not.toThrow();
    }
    // .env.example holds no variable compose.yaml does not use
    const source = fs.readFileSync(path.join(DOCKER, 'compose.yaml'), 'utf8');
    const example = fs.readFileSync(path.join(DOCKER, '.env.example'), 'utf8');
    const names = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    const unused = names.filter((n) => n !== 'COMPOSE_PROJECT_NAME' && !source.includes(`\${${n}:`));
    expect(unused).toEqual([]);
  });

  it('bakes in no secret: without the NATS passwords it does not render, without the others they are empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-compose-'));
    try {
      fs.writeFileSync(path.join(dir, 'empty.env'), '');
      const refused = composeConfig(path.join(dir, 'empty.env'));
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/set USHER_NATS_(AUTH|USERS|CONSUMER)_PASSWORD in docker\/.env/);
      const nats = ['AUTH', 'USERS', 'CONSUMER'].map((n) => `USHER_NATS_${n}_PASSWORD=p${n}\n`).join('');
      fs.writeFileSync(path.join(dir, 'nats.env'), nats);
      const result = composeConfig(path.join(dir, 'nats.env'));
      expect(result.status).toBe(0);
      const bare = YAML.parse(result.stdout).services;
      expect(bare.postgres.environment.USHER_USERS_DB_PASS).toBe('');
      expect(bare.postgres.environment.USHER_AUTH_DB_PASS).toBe('');
      // auth switched to production (USHER_AUTH_NODE_ENV) without a key-encryption key refuses to start
      expect(bare.auth.environment.USHER_AUTH_KEY_ENCRYPTION_KEY).toBe('');
      expect(() => loadAuthConfig({ ...bare.auth.environment, NODE_ENV: 'production' })).toThrow(
        /USHER_AUTH_KEY_ENCRYPTION_KEY: required/,
      );
      // the postgres image refuses to initialise without a password, so the stack cannot start like this
      expect(bare.postgres.environment.POSTGRES_PASSWORD).toBe('');
      expect(bare.users.environment.USHER_USERS_DB_PASS).toBe('');
      expect(bare.auth.environment.USHER_AUTH_DB_PASS).toBe('');
      expect(bare.users.environment.USHER_USERS_ADMIN_PASSWORD).toBe('');
      expect(bare.users.environment.USHER_EMAIL_PASSWORD).toBe('');
      expect(bare.users.environment.USHER_USERS_AUTH_CLIENT_SECRET).toBe('');
      expect(bare.auth.environment.USHER_AUTH_CLIENT_SECRETS).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(JSON.stringify(rendered)).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });
});

describe('docker/Dockerfile (static: no Docker engine here, images are not built)', () => {
  const dockerfile = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
  const stage = (name: string) => {
    const start = dockerfile.indexOf(` AS ${name}\n`);
    expect(start).toBeGreaterThan(0);
    const next = dockerfile.indexOf('\nFROM ', start);
    return dockerfile.slice(start, next === -1 ? undefined : next);
  };

  it('builds with pnpm deploy --prod and runs as a non-root user under tini', () => {
    expect(stage('build')).toMatch(/pnpm --filter "@usher\/\$\{svc\}" deploy --prod/);
    expect(stage('build')).toMatch(/--frozen-lockfile/);
    const runtime = stage('runtime');
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/sbin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/apk add --no-cache tini/);
  });

  it.each(['users', 'auth'])(
    'has a final %s stage with its own HEALTHCHECK, ports and bind hosts',
    (name) => {
      const s = stage(name);
      expect(s).toMatch(new RegExp(`COPY --from=build /out/${name} /app`));
      expect(s).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "\/app\/usher-probe.js", "health"\]/);
      expect(s).toMatch(new RegExp(`USHER_SERVICE=${name}`));
      expect(s).toMatch(name === 'users' ? /EXPOSE 9002/ : /EXPOSE 8181 8189/);
      expect(s).toMatch(
        name === 'users' ? /USHER_USERS_HTTP_HOST=0\.0\.0\.0/ : /USHER_AUTH_GRPC_HOST=0\.0\.0\.0/,
      );
    },
  );

  it('puts the usher admin CLI on the PATH of the users image', () => {
    expect(stage('build')).toMatch(/for svc in users auth cli; do/);
    expect(stage('build')).toMatch(/--filter "@usher\/cli\.\.\." run build/);
    const users = stage('users');
    expect(users).toMatch(/^COPY --from=build \/out\/cli \/opt\/usher-cli$/m);
    expect(users).toMatch(/^COPY --chmod=0755 docker\/usher \/usr\/local\/bin\/usher$/m);
    const wrapper = fs.readFileSync(path.join(DOCKER, 'usher'), 'utf8');
    expect(wrapper).toMatch(/^#!\/bin\/sh\n/);
    expect(wrapper).toContain('exec node /opt/usher-cli/dist/main.js "$@"');
  });

  it('takes no secret at build time and keeps the build context small', () => {
    expect(dockerfile).not.toMatch(/^(ARG|ENV)\s+[^\n]*(PASS|SECRET|TOKEN|_KEY=)/im);
    const ignore = fs.readFileSync(path.join(REPO, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', 'docker/.env']));
  });
});
