import fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import {
  newAuthServiceClient,
  roleFromProto,
  roleToProto,
  type AuthServiceClient,
  type ClientInfo,
  type Jwks__Output,
  type Principal__Output,
  type RoleName,
  type Session__Output,
  type Token__Output,
} from '@usher/contracts';

export interface AuthClientOptions {
  /** host:port of the auth service (USHER_AUTH_GRPC_URL). */
  url: string;
  /** Deadline of every call (USHER_AUTH_GRPC_TIMEOUT), default 1 s. */
  timeoutMs?: number;
  /** PEM file paths: client cert + key for mTLS, CA to verify the server. Empty means plaintext. */
  tls?: { cert?: string; key?: string; ca?: string };
}

/** The caller behind a verified access token. */
export interface Principal {
  userId: string;
  role: RoleName;
  sessionId: string;
  verified: boolean;
  /** Unix seconds. */
  expiresAt: number;
  tokenId: string;
}

export type AuthErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'unavailable' | 'internal';

const KIND_OF: Partial<Record<grpc.status, AuthErrorKind>> = {
  [grpc.status.INVALID_ARGUMENT]: 'invalid',
  [grpc.status.UNAUTHENTICATED]: 'unauthenticated',
  [grpc.status.PERMISSION_DENIED]: 'forbidden',
  [grpc.status.NOT_FOUND]: 'not_found',
  [grpc.status.UNAVAILABLE]: 'unavailable',
  [grpc.status.DEADLINE_EXCEEDED]: 'unavailable',
  [grpc.status.CANCELLED]: 'unavailable',
};

/** A failed auth call, classified so each transport maps it once. */
export class AuthClientError extends Error {
  readonly kind: AuthErrorKind;
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = 'AuthClientError';
    this.kind = KIND_OF[code] ?? 'internal';
  }
}

export interface IssueInput {
  userId: string;
  role: RoleName;
  verified: boolean;
  client?: ClientInfo;
  method?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessType: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  sessionId: string;
}

export interface AuthClient {
  issue(input: IssueInput): Promise<TokenPair>;
  refresh(refreshToken: string, client?: ClientInfo): Promise<TokenPair>;
  authenticate(token: string): Promise<Principal>;
  authorize(token: string, minRole: RoleName): Promise<Principal>;
  revokeSession(sessionId: string, opts?: { userId?: string; reason?: string }): Promise<number>;
  revokeUserSessions(userId: string, opts?: { exceptSessionId?: string; reason?: string }): Promise<number>;
  listSessions(userId: string): Promise<Session__Output[]>;
  getJwks(): Promise<Jwks__Output>;
  rotateSigningKey(): Promise<string>;
  close(): void;
}

const read = (file?: string) => (file ? fs.readFileSync(file) : null);

export function channelCredentials(tls: AuthClientOptions['tls']): grpc.ChannelCredentials {
  if (!tls || (!tls.ca && !tls.cert)) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(read(tls.ca), read(tls.key), read(tls.cert));
}

const toPrincipal = (p: Principal__Output): Principal => ({
  userId: p.user_id,
  role: roleFromProto(p.role),
  sessionId: p.session_id,
  verified: p.verified,
  expiresAt: p.expires_at,
  tokenId: p.token_id,
});

const toPair = (t: Token__Output): TokenPair => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token,
  accessType: t.access_type,
  accessExpiresAt: t.access_expires_at,
  refreshExpiresAt: t.refresh_expires_at,
  sessionId: t.session_id,
});

/** Typed AuthService client: every call has a deadline and fails with an AuthClientError. */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const timeoutMs = options.timeoutMs ?? 1000;
  const raw: AuthServiceClient = newAuthServiceClient(options.url, channelCredentials(options.tls), {
    'grpc.keepalive_time_ms': 30_000,
  });

  function call<Req, Res>(method: keyof AuthServiceClient, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = raw[method] as unknown as (
        req: Req,
        opts: grpc.CallOptions,
        cb: (err: grpc.ServiceError | null, res?: Res) => void,
      ) => void;
      fn.call(raw, request, { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) {
          const unavailable =
            err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED;
          const detail = unavailable
            ? `auth service unavailable at ${options.url}: ${err.details}`
            : err.details;
          reject(new AuthClientError(err.code, detail || err.message));
        } else resolve(res as Res);
      });
    });
  }

  return {
    issue: async (input) =>
      toPair(
        await call<object, Token__Output>('Issue', {
          user_id: input.userId,
          role: roleToProto(input.role),
          verified: input.verified,
          client: input.client,
          method: input.method ?? 'password',
        }),
      ),
    refresh: async (refreshToken, client) =>
      toPair(await call<object, Token__Output>('Refresh', { refresh_token: refreshToken, client })),
    authenticate: async (token) =>
      toPrincipal(await call<object, Principal__Output>('Authenticate', { token })),
    authorize: async (token, minRole) =>
      toPrincipal(
        await call<object, Principal__Output>('Authorize', { token, min_role: roleToProto(minRole) }),
      ),
    revokeSession: async (sessionId, opts) =>
      (
        await call<object, { revoked: number }>('RevokeSession', {
          session_id: sessionId,
          user_id: opts?.userId ?? '',
          reason: opts?.reason ?? '',
        })
      ).revoked,
    revokeUserSessions: async (userId, opts) =>
      (
        await call<object, { revoked: number }>('RevokeUserSessions', {
          user_id: userId,
          except_session_id: opts?.exceptSessionId ?? '',
          reason: opts?.reason ?? '',
        })
      ).revoked,
    listSessions: async (userId) =>
      (await call<object, { sessions: Session__Output[] }>('ListSessions', { user_id: userId })).sessions,
    getJwks: () => call<object, Jwks__Output>('GetJwks', {}),
    rotateSigningKey: async () => (await call<object, { kid: string }>('RotateSigningKey', {})).kid,
    close: () => raw.close(),
  };
}
