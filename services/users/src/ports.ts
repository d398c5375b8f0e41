import type { RoleName } from '@usher/contracts';
import type {
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  ClientMeta,
  ListQuery,
  NewApiKey,
  Page,
  SearchQuery,
  SessionInfo,
  TokenPair,
  User,
} from './service';

// What the users domain needs from the outside world; implemented in src/postgres, src/auth, src/domain/hasher.

/** Storage of accounts. Secrets live apart from the user rows and are read only to verify them. */
export interface UsersRepository {
  create(user: User, secretHash: string): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Looks an identity up as email or username, case-insensitively, with the stored hash. */
  findCredentials(identity: string): Promise<{ user: User; secretHash: string } | null>;
  secretHashOf(id: string): Promise<string | null>;
  updateSecretHash(id: string, secretHash: string): Promise<void>;
  /** Writes the changed fields of a user (those in `fields`) and returns the stored row. */
  update(user: User, fields: (keyof User)[]): Promise<User>;
  countByRole(role: RoleName): Promise<number>;
  firstEnabledOwner(): Promise<string | null>;
  /** Locks the enabled owners' rows for this transaction and returns their ids. */
  lockEnabledOwners(): Promise<string[]>;
  list(query: ListQuery): Promise<Page<User>>;
  search(query: SearchQuery, statuses: User['status'][]): Promise<Page<User>>;
  /** Ids of users deleted before `before`. */
  deletedBefore(before: Date, limit: number): Promise<string[]>;
  hardDelete(ids: string[]): Promise<number>;
}

export interface PasswordHasher {
  hash(secret: string): Promise<string>;
  compare(secret: string, hash: string): Promise<boolean>;
  /** True when the hash was made with other settings (e.g. a lower cost) and should be redone. */
  needsRehash(hash: string): boolean;
}

/** A failed refresh the auth service explained. */
export interface RefreshFailure {
  reason: string;
  userId?: string;
  sessionId?: string;
}

/** The part of the auth service the users domain uses. */
export interface AuthPort {
  issue(user: User, client: ClientMeta, method: string): Promise<TokenPair & { sessionId: string }>;
  /** Resolves to the new pair and its user, or rejects with an AuthenticationError carrying a RefreshFailure. */
  refresh(refreshToken: string, client: ClientMeta): Promise<TokenPair & { userId: string }>;
  listSessions(userId: string): Promise<SessionInfo[]>;
  revokeSession(userId: string, sessionId: string, reason: string): Promise<void>;
  revokeUserSessions(userId: string, opts: { reason: string; includeApiKeys: boolean }): Promise<number>;
  createApiKey(
    userId: string,
    role: RoleName,
    verified: boolean,
    name: string,
    expiresInSeconds: number,
  ): Promise<NewApiKey>;
  listApiKeys(userId: string): Promise<ApiKeyInfo[]>;
  revokeApiKey(userId: string, id: string): Promise<void>;
}

export type AuditRecord = Omit<AuditEntry, 'id' | 'occurredAt'>;

export interface AuditLog {
  /** Appends in the surrounding transaction, if any. */
  append(record: AuditRecord): Promise<void>;
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}

export interface LockState {
  failures: number;
  lockedUntil: Date | null;
}

/** Failed sign-in counters, shared by every replica. */
export interface LockoutStore {
  /** When the key is locked, until when; else null. */
  lockedUntil(key: string): Promise<Date | null>;
  /** Counts one failure in the window; locks the key when the threshold is reached. */
  recordFailure(
    key: string,
    policy: { threshold: number; windowMs: number; durationMs: number },
  ): Promise<LockState>;
  clear(key: string): Promise<void>;
}

/** Runs work in one database transaction (joined when already inside one). */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}
