import crypto from 'crypto';
import { Writable } from 'stream';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { AuthClientError, createAuthClient, type AuthClient } from '@usher/auth-client';
import { loadAuthConfig, type AuthConfig } from '@usher/config';
import {
  newAuthServiceClient,
  type AuthServiceClient,
  type Jwks__Output,
  type ListSessionsResponse__Output,
  type Principal__Output,
  type RevokeResponse__Output,
  type Token__Output,
} from '@usher/contracts';
import { createLogger, type Logger } from '@usher/telemetry';
import { TEST_CALLERS, callerOf, testCallerEnv } from '@usher/testkit';
import { startAuthService, type AuthServiceHandle, type StartOptions } from '../src/app';

export const USER = '7f1c6f0e-0000-4000-8000-000000000001';
export const OTHER_USER = '7f1c6f0e-0000-4000-8000-000000000002';
export const newUserId = () => crypto.randomUUID();

/** Defaults of loadAuthConfig on a test database, on ephemeral ports, with overrides. */
export function testConfig(dbUrl: string, overrides: Partial<AuthConfig> = {}): AuthConfig {
  const base = loadAuthConfig({ USHER_DB_URL: dbUrl, USHER_AUTH_ES_URL: '', ...testCallerEnv() });
  return {
    ...base,
    // when NATS is off or down, freshness rests on the poll alone; a loaded CI machine must not flap
    // into UNAVAILABLE in tests about something else (the fail-closed tests set their own bound)
    revocationStalenessMs: 30_000,
    grpc: { ...base.grpc, host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    ...overrides,
  };
}

/** A logger whose lines the test can read back. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ service: 'auth', level, destination }), lines };
}

export interface Replica {
  handle: AuthServiceHandle;
  rpc: Rpc;
  lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startReplica(config: AuthConfig, options: StartOptions = {}): Promise<Replica> {
  const { logger, lines } = captureLogger();
  const handle = await startAuthService(config, { logger, drainTimeoutMs: 1000, ...options });
  const client = newAuthServiceClient(
    `127.0.0.1:${handle.grpcPort}`,
    grpc.credentials.createInsecure(),
    {},
    callerOf(TEST_CALLERS.harness),
  );
  return {
    handle,
    rpc: rpc(client),
    lines,
    stop: async () => {
      client.close();
      await handle.stop();
    },
  };
}

function unary<Res>(start: (cb: (err: grpc.ServiceError | null, res?: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res as Res))));
}

const deadline = () => ({ deadline: Date.now() + 5000 });

/** Promise wrappers over the raw generated client, requests as plain objects. */
export function rpc(c: AuthServiceClient) {
  return {
    client: c,
    issue: (req: object) => unary<Token__Output>((cb) => c.Issue(req, deadline(), cb)),
    refresh: (req: object) => unary<Token__Output>((cb) => c.Refresh(req, deadline(), cb)),
    authenticate: (token: string) =>
      unary<Principal__Output>((cb) => c.Authenticate({ token }, deadline(), cb)),
    authorize: (token: string, min_role: string) =>
      unary<Principal__Output>((cb) => c.Authorize({ token, min_role } as object, deadline(), cb)),
    revokeSession: (req: object) =>
      unary<RevokeResponse__Output>((cb) => c.RevokeSession(req, deadline(), cb)),
    revokeUserSessions: (req: object) =>
      unary<RevokeResponse__Output>((cb) => c.RevokeUserSessions(req, deadline(), cb)),
    listSessions: (user_id: string) =>
      unary<ListSessionsResponse__Output>((cb) => c.ListSessions({ user_id }, deadline(), cb)),
    createApiKey: async (req: object) => {
      const res = await unary<{ api_key: ApiKeyMessage | null; key: string }>((cb) =>
        c.CreateApiKey(req, deadline(), cb),
      );
      return { api_key: res.api_key!, key: res.key };
    },
    listApiKeys: (user_id: string) =>
      unary<{ api_keys: ApiKeyMessage[] }>((cb) => c.ListApiKeys({ user_id }, deadline(), cb)),
    revokeApiKey: (req: object) => unary<RevokeResponse__Output>((cb) => c.RevokeApiKey(req, deadline(), cb)),
    jwks: () => unary<Jwks__Output>((cb) => c.GetJwks({}, deadline(), cb)),
    rotate: () => unary<{ kid: string }>((cb) => c.RotateSigningKey({}, deadline(), cb)),
  };
}
export type Rpc = ReturnType<typeof rpc>;

/** The ApiKey message as the loader decodes it. */
export interface ApiKeyMessage {
  id: string;
  user_id: string;
  name: string;
  role: string;
  created_at: number;
  expires_at: number;
  last_used_at: number;
}

/** A key for `userId` with the given role (defaults: viewer, the default lifetime). */
export const createKeyFor = (r: Rpc, userId: string, role = 'ROLE_VIEWER', extra: object = {}) =>
  r.createApiKey({ user_id: userId, role, name: 'ci', ...extra });

export const issueFor = (r: Rpc, userId = USER, role = 'ROLE_VIEWER') =>
  r.issue({
    user_id: userId,
    role,
    verified: true,
    method: 'password',
    client: { user_agent: 'jest', ip: '127.0.0.1' },
  });

/** The typed client other services use, pointed at a replica. */
export const authClientFor = (r: Replica): AuthClient =>
  createAuthClient({
    url: `127.0.0.1:${r.handle.grpcPort}`,
    timeoutMs: 5000,
    caller: callerOf(TEST_CALLERS.harness),
  });

/** The AuthClientError of a call expected to fail. */
export async function clientErrorOf(call: Promise<unknown>): Promise<AuthClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AuthClientError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Resolves with the gRPC status code of a call expected to fail. */
export async function codeOf(call: Promise<unknown>): Promise<grpc.status> {
  try {
    await call;
  } catch (err) {
    return (err as grpc.ServiceError).code;
  }
  throw new Error('expected the call to fail');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Decoded (unverified) JWT header and payload, for assertions. */
export function peek(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString()),
  };
}

type HealthClient = grpc.Client & {
  Check(
    req: { service: string },
    opts: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
  ): void;
};

/** grpc.health.v1.Health/Check; resolves with the status name. */
export async function healthCheck(
  port: number,
  service: string,
  creds = grpc.credentials.createInsecure(),
  options: grpc.ClientOptions = {},
): Promise<string> {
  const Client = grpc.makeGenericClientConstructor(healthService as grpc.ServiceDefinition, 'Health');
  const client = new Client(`127.0.0.1:${port}`, creds, options) as unknown as HealthClient;
  try {
    return (
      await unary<{ status: string }>((cb) => client.Check({ service }, { deadline: Date.now() + 3000 }, cb))
    ).status;
  } finally {
    client.close();
  }
}
