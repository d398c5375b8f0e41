import type { RoleName } from '@usher/contracts';

// The auth domain: every token, session, signing key and revocation. Implemented by `domain/auth.ts`
// and by each decorator in `middleware/`; transports only ever see this interface.

export interface ClientInfo {
  userAgent: string;
  ip: string;
}

export interface IssueInput {
  userId: string;
  role: RoleName;
  verified: boolean;
  client: ClientInfo;
  /** How the user signed in: "password", "api_key", "oauth:<provider>", ... */
  method: string;
}

export interface RefreshInput {
  refreshToken: string;
  client?: ClientInfo;
}

/** A token pair; times are unix seconds. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  sessionId: string;
  userId: string;
}

export type PrincipalKind = 'access' | 'api_key';

/** The caller behind a valid access token or API key. */
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
  kind: PrincipalKind;
  /** Empty for an access token. */
  apiKeyId: string;
}

export interface RevokeSessionInput {
  sessionId: string;
  /** When set, the session is revoked only if it belongs to this user (NotFoundError otherwise). */
  userId?: string;
  reason?: string;
}

export interface RevokeUserSessionsInput {
  userId: string;
  /** When set, this session stays live and every other one is revoked. */
  exceptSessionId?: string;
  reason?: string;
  /** Revoke the user's live API keys too; without it keys survive, even a revoke-all. */
  includeApiKeys?: boolean;
}

export interface CreateApiKeyInput {
  userId: string;
  /** The owner's role or lower: the caller knows the owner's role, this service does not. */
  role: RoleName;
  name: string;
  /** 0 means the default lifetime. */
  expiresInSeconds: number;
  verified: boolean;
}

/** An API key as listed to its owner, never with its secret; times are unix seconds. */
export interface ApiKeyInfo {
  id: string;
  userId: string;
  name: string;
  role: RoleName;
  createdAt: number;
  expiresAt: number;
  /** 0 when never used. */
  lastUsedAt: number;
}

/** The one moment the secret exists outside its holder. */
export interface CreatedApiKey {
  apiKey: ApiKeyInfo;
  key: string;
}

export interface RevokeApiKeyInput {
  id: string;
  /** NotFoundError unless the key is a live key of this user. */
  userId: string;
  reason?: string;
}

/** A live session as listed to its owner; times are unix seconds. */
export interface SessionInfo {
  id: string;
  userId: string;
  role: RoleName;
  method: string;
  userAgent: string;
  ip: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  idleExpiresAt: number;
}

/** A public EC P-256 key (RFC 7517). */
export interface Jwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  use: 'sig';
  alg: 'ES256';
}

export interface AuthService {
  /** Starts a session for an already authenticated user and returns its first token pair. */
  issue(input: IssueInput): Promise<TokenPair>;
  /** Rotates the refresh token; a spent one revokes the whole session. */
  refresh(input: RefreshInput): Promise<TokenPair>;
  /** Verifies an access token in memory (signature, expiry, key, revocations), or an API key. */
  authenticate(token: string): Promise<Principal>;
  /** authenticate, then AuthorizationError unless the role is at least `minRole`. */
  authorize(token: string, minRole: RoleName): Promise<Principal>;
  /** Returns how many sessions were revoked (0 when it already was). */
  revokeSession(input: RevokeSessionInput): Promise<number>;
  revokeUserSessions(input: RevokeUserSessionsInput): Promise<number>;
  /** Live sessions, newest first. */
  listSessions(userId: string): Promise<SessionInfo[]>;
  /** LimitExceededError when the user already has the maximum of live keys. */
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Live keys, newest first. */
  listApiKeys(userId: string): Promise<ApiKeyInfo[]>;
  /** Returns 1; NotFoundError when it is not a live key of that user. */
  revokeApiKey(input: RevokeApiKeyInput): Promise<number>;
  /** Every key that still verifies tokens. */
  jwks(): Promise<Jwk[]>;
  /** Makes a new key current and returns its kid. */
  rotateSigningKey(): Promise<string>;
}
