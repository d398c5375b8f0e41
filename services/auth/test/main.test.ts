import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { newAuthServiceClient } from '@usher/contracts';
import {
  TEST_CALLERS,
  callerOf,
  createTestDatabase,
  freePort,
  testCallerEnv,
  testNatsUrl,
  waitFor,
  type TestDatabase,
} from '@usher/testkit';
import { healthCheck, issueFor, rpc, startReplica, testConfig } from './helpers';

const root = path.join(__dirname, '..');
const mainJs = path.join(root, 'dist/main.js');

interface Proc {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exit: Promise<number | null>;
}

function run(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [mainJs], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr, exit };
}

describe('main.js', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('authmain');
  }, 60_000);
  afterAll(async () => db?.drop());

  it('prints the configuration problem and exits 1', async () => {
    const p = run({ USHER_AUTH_GRPC_PORT: 'eighty', USHER_AUTH_ACCESS_TOKEN_DURATION: 'soon' });
    expect(await p.exit).toBe(1);
    const text = p.stderr.join('');
    expect(text).toContain('USHER_AUTH_GRPC_PORT');
    expect(text).toContain('USHER_AUTH_ACCESS_TOKEN_DURATION');
  });

  it('refuses to start in production without TLS and a client CA, saying so on stderr', async () => {
    const p = run({ NODE_ENV: 'production', USHER_DB_URL: db.url, ...testCallerEnv() });
    expect(await p.exit).toBe(1);
    const text = p.stderr.join('');
    expect(text).toContain(
      'NODE_ENV: production needs mTLS: set USHER_AUTH_GRPC_SERVER_CERT, USHER_AUTH_GRPC_SERVER_KEY and USHER_AUTH_GRPC_CLIENT_CA_CERTS',
    );
    expect(p.lines.find((l) => l.msg === 'auth service started')).toBeUndefined();
  });

  it('starts, logs its ports, serves, and drains on SIGTERM with exit 0', async () => {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const p = run({
      USHER_DB_URL: db.url,
      USHER_AUTH_GRPC_HOST: '127.0.0.1',
      USHER_AUTH_GRPC_PORT: String(grpcPort),
      USHER_AUTH_HTTP_HOST: '127.0.0.1',
      USHER_AUTH_HTTP_PORT: String(httpPort),
      USHER_AUTH_ES_URL: testNatsUrl(),
      USHER_AUTH_INSTANCE_ID: 'auth-main-test',
      ...testCallerEnv(),
    });
    try {
      const started = await waitFor(() => p.lines.find((l) => l.msg === 'auth service started'), 20_000);
      expect(started).toMatchObject({
        level: 'info',
        grpc_port: grpcPort,
        http_port: httpPort,
        instance_id: 'auth-main-test',
      });
      expect(await healthCheck(grpcPort, 'usher.auth.v1.AuthService')).toBe('SERVING');
      const client = rpc(
        newAuthServiceClient(
          `127.0.0.1:${grpcPort}`,
          grpc.credentials.createInsecure(),
          {},
          callerOf(TEST_CALLERS.harness),
        ),
      );
      const pair = await issueFor(client);
      await expect(client.authenticate(pair.access_token)).resolves.toBeDefined();
      client.client.close();
      const health = await (await fetch(`http://127.0.0.1:${httpPort}/health`)).json();
      expect(health).toMatchObject({ status: 'pass', instance_id: 'auth-main-test' });

      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      expect(p.lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['draining auth service', 'auth service stopped']),
      );
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });
});

describe('graceful drain', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('authdrain');
  });
  afterAll(async () => db?.drop());

  it('health watchers see NOT_SERVING when the service stops', async () => {
    const auth = await startReplica(testConfig(db.url));
    const Client = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');
    const client = new Client(
      `127.0.0.1:${auth.handle.grpcPort}`,
      grpc.credentials.createInsecure(),
    ) as unknown as {
      Watch(req: { service: string }): grpc.ClientReadableStream<{ status: string }>;
      close(): void;
    };
    const seen: string[] = [];
    const stream = client.Watch({ service: 'usher.auth.v1.AuthService' });
    stream.on('data', (m: { status: string }) => seen.push(m.status));
    stream.on('error', () => undefined);
    await waitFor(() => seen.includes('SERVING'));
    const stopping = auth.stop();
    await waitFor(() => seen.includes('NOT_SERVING'));
    await stopping;
    client.close();
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
  });
});
