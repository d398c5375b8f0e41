import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { authServiceDefinition, type AuthServiceHandlers } from '@usher/contracts';
import { requestMetrics, type Logger, type Registry } from '@usher/telemetry';
import type { AuthService } from '../service';
import { toGrpcError } from './errors';
import { callerInterceptor } from './caller-interceptor';
import type { CallerPolicy } from './callers';
import {
  AuthenticateRequest,
  AuthorizeRequest,
  CreateApiKeyRequest,
  IssueRequest,
  ListApiKeysRequest,
  ListSessionsRequest,
  RefreshRequest,
  RevokeApiKeyRequest,
  RevokeSessionRequest,
  RevokeUserSessionsRequest,
  decode,
} from './requests';
import { toApiKey, toJwk, toPrincipal, toSession, toToken } from './responses';
import { watchRevocationsHandler, type RevocationFeed } from './watch-revocations';

export const AUTH_SERVICE_NAME = 'usher.auth.v1.AuthService';

type Metrics = ReturnType<typeof requestMetrics>;

/** Wraps one unary handler: run, encode, and map any error in the one place that does it. */
function unary<Req, Res>(
  method: string,
  logger: Logger,
  metrics: Metrics | undefined,
  run: (request: Req) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  const route = `/${AUTH_SERVICE_NAME}/${method}`;
  return (call, callback) => {
    const end = metrics?.duration.startTimer({ method, route });
    const done = (code: grpc.status) => {
      const labels = { method, route, code: grpc.status[code] };
      metrics?.requests.inc(labels);
      end?.(labels);
    };
    run(call.request).then(
      (response) => {
        done(grpc.status.OK);
        callback(null, response);
      },
      (err: unknown) => {
        const status = toGrpcError(err, method, logger);
        done(status.code ?? grpc.status.UNKNOWN);
        callback(status);
      },
    );
  };
}

/** The AuthService handlers: decode + validate, call the domain, encode. */
export interface HandlerOptions {
  registry?: Registry;
  /** The revocations WatchRevocations streams to verifiers. */
  feed: RevocationFeed;
  /** Heartbeat of WatchRevocations (default 250 ms). */
  heartbeatMs?: number;
  /**
   * Whether this replica's revocations are current: while not, WatchRevocations sends no heartbeat,
   * so verifiers fed by it go stale and fall back instead of trusting a stale stream.
   */
  fresh?: () => boolean;
}

export function authHandlers(
  svc: AuthService,
  logger: Logger,
  options: HandlerOptions & { watchers?: Set<{ end(): void }> },
): AuthServiceHandlers {
  const m = options.registry ? requestMetrics(options.registry, 'grpc') : undefined;
  return {
    Issue: unary('Issue', logger, m, async (req) => {
      const r = decode(IssueRequest, req);
      return toToken(
        await svc.issue({
          userId: r.user_id,
          role: r.role,
          verified: r.verified,
          client: r.client,
          method: r.method,
        }),
      );
    }),
    Refresh: unary('Refresh', logger, m, async (req) => {
      const r = decode(RefreshRequest, req);
      return toToken(await svc.refresh({ refreshToken: r.refresh_token, client: r.client }));
    }),
    Authenticate: unary('Authenticate', logger, m, async (req) =>
      toPrincipal(await svc.authenticate(decode(AuthenticateRequest, req).token)),
    ),
    Authorize: unary('Authorize', logger, m, async (req) => {
      const r = decode(AuthorizeRequest, req);
      return toPrincipal(await svc.authorize(r.token, r.min_role));
    }),
    RevokeSession: unary('RevokeSession', logger, m, async (req) => {
      const r = decode(RevokeSessionRequest, req);
      return {
        revoked: await svc.revokeSession({ sessionId: r.session_id, userId: r.user_id, reason: r.reason }),
      };
    }),
    RevokeUserSessions: unary('RevokeUserSessions', logger, m, async (req) => {
      const r = decode(RevokeUserSessionsRequest, req);
      const input = {
        userId: r.user_id,
        exceptSessionId: r.except_session_id,
        reason: r.reason,
        includeApiKeys: r.include_api_keys,
      };
      return { revoked: await svc.revokeUserSessions(input) };
    }),
    ListSessions: unary('ListSessions', logger, m, async (req) => {
      const sessions = await svc.listSessions(decode(ListSessionsRequest, req).user_id);
      return { sessions: sessions.map(toSession) };
    }),
    CreateApiKey: unary('CreateApiKey', logger, m, async (req) => {
      const r = decode(CreateApiKeyRequest, req);
      const created = await svc.createApiKey({
        userId: r.user_id,
        role: r.role,
        name: r.name,
        expiresInSeconds: r.expires_in_seconds,
        verified: r.verified,
      });
      return { api_key: toApiKey(created.apiKey), key: created.key };
    }),
    ListApiKeys: unary('ListApiKeys', logger, m, async (req) => {
      const keys = await svc.listApiKeys(decode(ListApiKeysRequest, req).user_id);
      return { api_keys: keys.map(toApiKey) };
    }),
    RevokeApiKey: unary('RevokeApiKey', logger, m, async (req) => {
      const r = decode(RevokeApiKeyRequest, req);
      return { revoked: await svc.revokeApiKey({ id: r.id, userId: r.user_id, reason: r.reason }) };
    }),
    GetJwks: unary('GetJwks', logger, m, async () => ({ keys: (await svc.jwks()).map(toJwk) })),
    RotateSigningKey: unary('RotateSigningKey', logger, m, async () => ({
      kid: await svc.rotateSigningKey(),
    })),
    WatchRevocations: watchRevocationsHandler(options.feed, {
      heartbeatMs: options.heartbeatMs ?? 250,
      fresh: options.fresh ?? (() => true),
      logger,
      open: options.watchers ?? new Set(),
    }),
  };
}

export interface GrpcServer {
  server: grpc.Server;
  health: HealthImplementation;
  /** NOT_SERVING for every name: load balancers stop sending before the drain. */
  setServing(serving: boolean): void;
  /** What the health service says now. */
  isServing(): boolean;
  /** Ends every WatchRevocations stream (verifiers reconnect to another replica). */
  endStreams(): void;
}

export function createGrpcServer(
  svc: AuthService,
  logger: Logger,
  options: HandlerOptions,
  callers: CallerPolicy,
): GrpcServer {
  const registry = options.registry;
  const server = new grpc.Server({
    // tokens are small: refuse big messages before parsing them
    'grpc.max_receive_message_length': 64 * 1024,
    // every call but health: a named caller whose permission sets allow the method
    interceptors: [callerInterceptor(callers, logger, registry)],
  });
  const watchers = new Set<{ end(): void }>();
  server.addService(authServiceDefinition(), authHandlers(svc, logger, { ...options, watchers }));
  const health = new HealthImplementation({ '': 'SERVING', [AUTH_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  let current = true;
  const setServing = (serving: boolean) => {
    current = serving;
    for (const name of ['', AUTH_SERVICE_NAME]) health.setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
  };
  const endStreams = () => {
    for (const call of [...watchers]) call.end();
  };
  return { server, health, setServing, isServing: () => current, endStreams };
}

export function bindGrpc(
  server: grpc.Server,
  address: string,
  credentials: grpc.ServerCredentials,
): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port))),
  );
}
