import fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import {
  newAuthServiceClient,
  roleFromProto,
  roleToProto,
  type AuthServiceClient,
  type CallerCredentials,
  type ClientInfo,
  type Jwks__Output,
  type Principal__Output,
  type RevocationBatch__Output,
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
  /**
   * This service's name and secret as a caller of auth, sent as call metadata (development and
   * tests, without mTLS; e.g. USHER_USERS_AUTH_CLIENT_ID/_SECRET). With mTLS the client certificate
   * is the identity and this may be left out.
   */
  caller?: CallerCredentials;
}

/** The caller behind a verified access token or API key. */
export interface Principal {
  userId: string;
  role: RoleName;
  /** Empty for an API key. */
  sessionId: string;
  verified: boolean;
  /** Unix seconds: the end of the access token or of the API key. */
  expiresAt: number;
  /** The access token's jti, or the API key's id. */
  tokenId: string;
  kind: 'access' | 'api_key';
  /** Empty for an access token. */
  apiKeyId: string;
}

export type AuthErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'limit_exceeded' | 'unavailable' | 'internal';

const KIND_OF: Partial<Record<grpc.status, AuthErrorKind>> = {
  [grpc.status.INVALID_ARGUMENT]: 'invalid',
  [grpc.status.UNAUTHENTICATED]: 'unauthenticated',
  [grpc.status.PERMISSION_DENIED]: 'forbidden',
  [grpc.status.NOT_FOUND]: 'not_found',
  [grpc.status.RESOURCE_EXHAUSTED]: 'limit_exceeded',
  [grpc.status.UNAVAILABLE]: 'unavailable',
  [grpc.status.DEADLINE_EXCEEDED]: 'unavailable',
  [grpc.status.CANCELLED]: 'unavailable',
};

/** Why the auth service refused a credential (trailing metadata), for the caller's audit. */
export interface AuthErrorDetail {
  /** Refresh: refresh_token_reuse, expired, idle_timeout, session_revoked or invalid. */
  reason?: string;
  userId?: string;
  sessionId?: string;
}

/** usher-reason values of a call refused because of the calling service itself (issue 15). */
const CALLER_REFUSALS = new Set(['caller_unauthenticated', 'caller_forbidden']);

/** A failed auth call, classified so each transport maps it once. */
export class AuthClientError extends Error {
  readonly kind: AuthErrorKind;
  /**
   * True when auth refused this service as a caller (unknown identity, wrong secret, method outside
   * its permission sets): a deployment problem, never the end user's fault, so `kind` is
   * 'unavailable' (a 503) and not 'unauthenticated' (a 401 for the user's token).
   */
  readonly callerRefused: boolean;
  readonly reason?: string;
  readonly userId?: string;
  readonly sessionId?: string;
  constructor(
    readonly code: grpc.status,
    message: string,
    detail: AuthErrorDetail = {},
  ) {
    super(message);
    this.name = 'AuthClientError';
    this.callerRefused = !!detail.reason && CALLER_REFUSALS.has(detail.reason);
    this.kind = this.callerRefused ? 'unavailable' : (KIND_OF[code] ?? 'internal');
    if (detail.reason && !this.callerRefused) this.reason = detail.reason;
    if (detail.userId) this.userId = detail.userId;
    if (detail.sessionId) this.sessionId = detail.sessionId;
  }
}

/** usher-reason, usher-user-id, usher-session-id of a failed call's trailers. */
function detailOf(metadata: grpc.Metadata | undefined): AuthErrorDetail {
  const one = (key: string) => {
    const value = metadata?.get(key)[0];
    return typeof value === 'string' && value ? value : undefined;
  };
  return { reason: one('usher-reason'), userId: one('usher-user-id'), sessionId: one('usher-session-id') };
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
  userId: string;
}

export interface CreateApiKeyInput {
  userId: string;
  /** The owner's role or lower: the auth service does not know the owner's role. */
  role: RoleName;
  /** 1 to 100 characters. */
  name: string;
  /** 0 or absent: the default of 90 days; at most one year. */
  expiresInSeconds?: number;
  /** Reported as Principal.verified when the key is used (default false). */
  verified?: boolean;
}

/** An API key without its secret; times are unix seconds. */
export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  role: RoleName;
  createdAt: number;
  expiresAt: number;
  /** 0 when never used; updated at most about once a minute. */
  lastUsedAt: number;
}

/** A new key: `key` is the secret, returned this once and never again. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface RevokeUserSessionsOptions {
  /** This session stays live. */
  exceptSessionId?: string;
  reason?: string;
  /** Also revoke every live API key of the user (disable, delete, role demotion). */
  includeApiKeys?: boolean;
}

export interface AuthClient {
  issue(input: IssueInput): Promise<TokenPair>;
  refresh(refreshToken: string, client?: ClientInfo): Promise<TokenPair>;
  authenticate(token: string): Promise<Principal>;
  authorize(token: string, minRole: RoleName): Promise<Principal>;
  revokeSession(sessionId: string, opts?: { userId?: string; reason?: string }): Promise<number>;
  /** Returns how many sessions (and API keys with includeApiKeys) were revoked. */
  revokeUserSessions(userId: string, opts?: RevokeUserSessionsOptions): Promise<number>;
  /** Live sessions, newest first. */
  listSessions(userId: string): Promise<Session__Output[]>;
  /** Fails with kind 'limit_exceeded' when the user already holds the maximum of live keys. */
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Live keys, newest first, without secrets. */
  listApiKeys(userId: string): Promise<ApiKey[]>;
  /** Fails with kind 'not_found' unless `id` is a live key of `userId`. */
  revokeApiKey(id: string, userId: string, opts?: { reason?: string }): Promise<void>;
  getJwks(): Promise<Jwks__Output>;
  rotateSigningKey(): Promise<string>;
  /** The WatchRevocations stream (no deadline: it lives until cancelled); see createVerifier. */
  watchRevocations(): grpc.ClientReadableStream<RevocationBatch__Output>;
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
  kind: p.kind === 'api_key' ? 'api_key' : 'access',
  apiKeyId: p.api_key_id,
});

const toPair = (t: Token__Output): TokenPair => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token,
  accessType: t.access_type,
  accessExpiresAt: t.access_expires_at,
  refreshExpiresAt: t.refresh_expires_at,
  sessionId: t.session_id,
  userId: t.user_id,
});

/** The ApiKey message (not exported by @usher/contracts), as the loader decodes it. */
interface ApiKeyMessage {
  id: string;
  user_id: string;
  name: string;
  role: string;
  created_at: number;
  expires_at: number;
  last_used_at: number;
}

const toApiKey = (k: ApiKeyMessage): ApiKey => ({
  id: k.id,
  userId: k.user_id,
  name: k.name,
  role: roleFromProto(k.role),
  createdAt: k.created_at,
  expiresAt: k.expires_at,
  lastUsedAt: k.last_used_at,
});

/** Typed AuthService client: every call has a deadline and fails with an AuthClientError. */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const timeoutMs = options.timeoutMs ?? 1000;
  const raw: AuthServiceClient = newAuthServiceClient(
    options.url,
    channelCredentials(options.tls),
    { 'grpc.keepalive_time_ms': 30_000 },
    options.caller,
  );

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
          const why = detailOf(err.metadata);
          const detail = unavailable
            ? `auth service unavailable at ${options.url}: ${err.details}`
            : why.reason && CALLER_REFUSALS.has(why.reason)
              ? `auth service at ${options.url} refused this service as a caller (${err.details}): check its client certificate or client id and secret`
              : err.details;
          reject(new AuthClientError(err.code, detail || err.message, why));
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
          include_api_keys: opts?.includeApiKeys ?? false,
        })
      ).revoked,
    listSessions: async (userId) =>
      (await call<object, { sessions: Session__Output[] }>('ListSessions', { user_id: userId })).sessions,
    createApiKey: async (input) => {
      const created = await call<object, { api_key: ApiKeyMessage | null; key: string }>('CreateApiKey', {
        user_id: input.userId,
        role: roleToProto(input.role),
        name: input.name,
        expires_in_seconds: input.expiresInSeconds ?? 0,
        verified: input.verified ?? false,
      });
      if (!created.api_key)
        throw new AuthClientError(grpc.status.INTERNAL, 'CreateApiKey answered without a key');
      return { ...toApiKey(created.api_key), key: created.key };
    },
    listApiKeys: async (userId) =>
      (await call<object, { api_keys: ApiKeyMessage[] }>('ListApiKeys', { user_id: userId })).api_keys.map(
        toApiKey,
      ),
    revokeApiKey: async (id, userId, opts) => {
      await call<object, { revoked: number }>('RevokeApiKey', {
        id,
        user_id: userId,
        reason: opts?.reason ?? '',
      });
    },
    getJwks: () => call<object, Jwks__Output>('GetJwks', {}),
    rotateSigningKey: async () => (await call<object, { kid: string }>('RotateSigningKey', {})).kid,
    watchRevocations: () => raw.WatchRevocations({}),
    close: () => raw.close(),
  };
}
