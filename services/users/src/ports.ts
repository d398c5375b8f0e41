import type { RoleName } from '@usher/contracts';
import type {
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  ClientMeta,
  Invitation,
  ListQuery,
  NewApiKey,
  Page,
  SearchQuery,
  SessionInfo,
  TokenPair,
  User,
} from './service';

// What the users domain needs from the outside world; implemented in src/postgres, src/auth, src/domain/hasher.

export interface AccessState {
  verified: boolean;
  /** The secret is a temporary one: only changing it is allowed. */
  mustChangeSecret: boolean;
}

/** Storage of accounts. Secrets live apart from the user rows and are read only to verify them. */
export interface UsersRepository {
  create(user: User, secretHash: string): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Looks an identity up as email or username, case-insensitively, with the stored hash. */
  findCredentials(identity: string): Promise<{ user: User; secretHash: string } | null>;
  /**
   * The account and its hash as committed, read with a share lock (waits for a change in flight);
   * call inside a unit of work.
   */
  lockCredentials(id: string): Promise<{ user: User; secretHash: string } | null>;
  secretHashOf(id: string): Promise<string | null>;
  /** Compare-and-set of the hash (a rehash at sign-in): false when it changed meanwhile. */
  replaceSecretHash(id: string, expected: string, secretHash: string): Promise<boolean>;
  /**
   * Stores a new hash. `mustChange` sets or clears the "temporary password" flag; left out (a
   * rehash at sign-in), the flag stays as it is.
   */
  updateSecretHash(id: string, secretHash: string, options?: { mustChange?: boolean }): Promise<void>;
  /** The account with this email address, case-insensitively. */
  findByEmail(email: string): Promise<User | null>;
  /** What the HTTP edge checks on every signed-in request: one indexed lookup, no cache. */
  accessState(id: string): Promise<AccessState | null>;
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

/** What a refreshed pair was issued for. */
export interface RefreshedClaims {
  userId: string;
  sessionId: string;
  role: RoleName;
  verified: boolean;
}

/** The part of the auth service the users domain uses. */
export interface AuthPort {
  issue(user: User, client: ClientMeta, method: string): Promise<TokenPair & { sessionId: string }>;
  /**
   * Resolves to the new pair, its user and session and what the new access token claims, or
   * rejects with an AuthenticationError carrying a RefreshFailure.
   */
  refresh(refreshToken: string, client: ClientMeta): Promise<TokenPair & RefreshedClaims>;
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

export type EmailTokenPurpose = 'verification' | 'password_reset' | 'invitation';

/** A token mailed in a link. Only its SHA-256 is stored; it works once, for one purpose, until it expires. */
export interface EmailToken {
  id: string;
  purpose: EmailTokenPurpose;
  tokenHash: string;
  userId: string | null;
  invitationId: string | null;
  /** The address the link was mailed to. */
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface EmailTokenStore {
  create(token: EmailToken): Promise<void>;
  /** Spends a token atomically: null when it is unknown, of another purpose, spent or expired. */
  consume(purpose: EmailTokenPurpose, tokenHash: string): Promise<EmailToken | null>;
  /** Spends every live token of a user for a purpose: a newer link replaces the older ones. */
  spendAll(purpose: EmailTokenPurpose, userId: string): Promise<void>;
}

export interface InvitationsRepository {
  create(invitation: Invitation): Promise<Invitation>;
  /** A pending invitation: neither accepted, revoked nor expired. */
  findPending(id: string): Promise<Invitation | null>;
  listPending(offset: number, limit: number): Promise<Page<Invitation>>;
  /** Ends a pending invitation; false when it was no longer pending. */
  close(id: string, how: 'accepted' | 'revoked', userId?: string): Promise<boolean>;
}

export type MailKind = 'password_reset' | 'verification' | 'invitation';

/** What the mail queue carries: the templated link mails, and security notices (no link). */
export type QueuedMailKind = MailKind | 'security_notice';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The templates of USHER_*_EMAIL_TEMPLATE, filled in (HTML-escaped in the HTML part). */
export interface MailTemplates {
  render(kind: MailKind, vars: Record<string, string>): RenderedMail;
}

export interface OutgoingMail extends RenderedMail {
  kind: QueuedMailKind;
  to: string;
  userId: string | null;
  /** The link the mail carries; kept apart for the development fallback's log line only. */
  link: string;
  /** The link is useless after this: a mail not delivered by then is dropped. */
  expiresAt: Date;
}

/** Mail goes through a queue in PostgreSQL, written in the transaction of the change it reports. */
export interface MailQueue {
  /** Queues a mail in the surrounding transaction: it is sent only if that commits. */
  enqueue(mail: OutgoingMail): Promise<void>;
  /** Nudges the sender after a commit; it also polls, so a lost nudge only delays a mail. */
  wake(): void;
}
