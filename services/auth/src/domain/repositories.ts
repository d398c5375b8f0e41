import type { RoleName } from '@usher/contracts';
import type { Jwk } from '../service';

// What the domain needs from storage; `postgres/` implements these with TypeORM.

export interface SigningKeyRecord {
  kid: string;
  /** PKCS8 PEM. */
  privateKeyPem: string;
  publicJwk: Jwk;
  createdAt: Date;
  retiredAt: Date | null;
  /** Set when retired: tokens signed by the key verify until then. */
  verifyUntil: Date | null;
}

export interface RotateKeyOptions {
  /** Skip (return false) when a current key created at or after this moment already exists. */
  unlessCurrentSince?: Date;
  /** verify_until given to the keys this rotation retires. */
  retiredVerifyUntil: Date;
  now: Date;
}

export interface KeyRepository {
  /** Keys not retired, or retired but still inside their verification window. */
  listVerifying(now: Date): Promise<SigningKeyRecord[]>;
  /**
   * Under a cluster-wide lock (so two replicas never race): unless `unlessCurrentSince` says a
   * recent enough key exists, retires every current key and inserts `key`. True when inserted.
   */
  rotate(key: SigningKeyRecord, options: RotateKeyOptions): Promise<boolean>;
  /** Every key with its stored private key text (sealed or not), expired ones included. */
  listStoredPrivateKeys(): Promise<{ kid: string; privateKey: string }[]>;
  /** Replaces a stored private key only if it still equals `expected` (replicas may race). */
  replaceStoredPrivateKey(kid: string, expected: string, next: string): Promise<boolean>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  role: RoleName;
  verified: boolean;
  method: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface RefreshTokenRecord {
  /** sha256 (hex) of the opaque token; the token itself is never stored. */
  hash: string;
  sessionId: string;
  createdAt: Date;
  expiresAt: Date;
}

export type SpendResult =
  | { status: 'ok'; token: RefreshTokenRecord; session: SessionRecord }
  /** The token had been used before: a replay, or a retry of a refresh that failed. */
  | {
      status: 'spent';
      sessionId: string;
      userId: string;
      /** Null while the session is live. */
      revokedReason: string | null;
      /** A newer refresh token was issued after this one was spent. */
      rotated: boolean;
    }
  | { status: 'unknown' };

export interface SessionRepository {
  create(session: SessionRecord, refresh: RefreshTokenRecord): Promise<void>;
  /** Atomically marks the refresh token used (only if unused) and returns its session. */
  spendRefreshToken(hash: string, at: Date): Promise<SpendResult>;
  /**
   * Stores the next refresh token of a live session and marks the session used. False when the
   * session was revoked meanwhile.
   */
  continueSession(
    sessionId: string,
    next: RefreshTokenRecord,
    at: Date,
    client?: ClientUpdate,
  ): Promise<boolean>;
  /**
   * Sessions of a user that are not revoked, not past their end and not idle since `idleSince`,
   * newest first.
   */
  listLive(userId: string, now: Date, idleSince: Date): Promise<SessionRecord[]>;
}

export interface ClientUpdate {
  userAgent: string;
  ip: string;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  role: RoleName;
  verified: boolean;
  /** sha256 (hex) of the secret part; the key itself is never stored. */
  secretHash: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyRepository {
  /**
   * Inserts the key unless the user already has `maxLive` live keys (false then). Serialised per
   * user, so concurrent creations cannot pass the limit together.
   */
  create(key: ApiKeyRecord, maxLive: number): Promise<boolean>;
  /** Any key, revoked or expired included; undefined when there is no such id. */
  find(id: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of a user that are neither revoked nor expired, newest first. */
  listLive(userId: string, now: Date): Promise<ApiKeyRecord[]>;
  /** Records a use; best effort. */
  touch(id: string, at: Date): Promise<void>;
}

export type RevocationKind = 'session' | 'user' | 'api_key';

/** One persisted revocation; `at` is ms. For `user`, `at` is the user's tokens_valid_after. */
export interface RevocationEntry {
  seq: number;
  kind: RevocationKind;
  subject: string;
  at: number;
}

export interface RevokeSessionResult {
  /** False when there is no such session or key (or it belongs to someone else). */
  found: boolean;
  entries: RevocationEntry[];
}

export interface RevocationRepository {
  /** Revokes one live session and records the revocation, in one transaction. */
  revokeSession(sessionId: string, reason: string, at: Date, ownerId?: string): Promise<RevokeSessionResult>;
  /**
   * Revokes a user's live sessions (but `exceptSessionId`) and, when `validAfter` is given, raises
   * the user's tokens_valid_after; records every revocation. One transaction.
   */
  revokeUserSessions(
    userId: string,
    options: {
      exceptSessionId?: string;
      reason: string;
      at: Date;
      validAfter?: Date;
      /** Also revoke the user's live API keys. */
      includeApiKeys?: boolean;
    },
  ): Promise<RevocationEntry[]>;
  /** Revokes one live (unrevoked, unexpired) key of `ownerId`; `found` false when there is none. */
  revokeApiKey(id: string, ownerId: string, reason: string, at: Date): Promise<RevokeSessionResult>;
  /** Revocations recorded at or after `since`, plus the highest seq overall. */
  recent(since: Date): Promise<{ entries: RevocationEntry[]; lastSeq: number }>;
  /** Revocations with seq above `afterSeq` or among `seqs` (gaps still expected), in seq order. */
  after(afterSeq: number, seqs: number[], limit: number): Promise<RevocationEntry[]>;
}
