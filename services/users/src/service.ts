import type { RoleName } from '@usher/contracts';

export type UserStatus = 'enabled' | 'disabled' | 'deleted';
export const USER_STATUSES: readonly UserStatus[] = ['enabled', 'disabled', 'deleted'];

/** An account as the API shows it: never a secret. */
export interface User {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  role: RoleName;
  status: UserStatus;
  tags: string[];
  metadata: Record<string, unknown>;
  /** Magistrala's private_metadata: for the user and admins only, never in public views. */
  privateMetadata: Record<string, unknown>;
  picture: string;
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** Who is calling, as the auth service vouched for them. */
export interface Caller {
  userId: string;
  role: RoleName;
  /** Empty for API keys. */
  sessionId: string;
  verified: boolean;
}

/** Where a request came from; recorded on sessions and in the audit log. */
export interface ClientMeta {
  userAgent: string;
  ip: string;
}

/** Every call carries who asks (null: anonymous) and from where. */
export interface Ctx {
  caller: Caller | null;
  client: ClientMeta;
}

export interface NewUser {
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  secret: string;
  role: RoleName;
  status: Exclude<UserStatus, 'deleted'>;
  tags: string[];
  metadata: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  picture: string;
}

export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  metadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  tags?: string[];
  picture?: string;
  /**
   * Read-only fields the client sent back (Magistrala's SDK sends the whole user): accepted when
   * equal to the stored value, refused (400 naming the field) when they would change it.
   */
  echoed?: ReadOnlyEcho;
}

/** A read-only field as sent, keyed by its JSON name (`credentials.username`, `created_at`, ...). */
export type ReadOnlyEcho = Partial<
  Record<'id' | 'email' | 'credentials.username' | 'role' | 'status' | 'created_at' | 'updated_at', string>
>;

export const ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email',
  'username',
  'first_name',
  'last_name',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export interface ListQuery {
  offset: number;
  limit: number;
  status: UserStatus | 'all';
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  tags?: string[];
  /** Magistrala's semantics: `any` (default) of the tags, or `all` of them. */
  tagsMatch?: 'any' | 'all';
  /** Part of the id (at least 3 characters). */
  id?: string;
  metadata?: Record<string, unknown>;
  role?: RoleName;
  order: OrderField;
  dir: 'asc' | 'desc';
  createdFrom?: Date;
  createdTo?: Date;
  onlyTotal: boolean;
}

export interface SearchQuery {
  offset: number;
  limit: number;
  /** Set by authorization: 'full' lets admins see every field and disabled users. */
  scope?: 'public' | 'full';
  /** Part of the id (at least 3 characters), as Magistrala's search. */
  id?: string;
  order?: OrderField;
  dir?: 'asc' | 'desc';
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

/** Search results; `publicOnly` when the caller may see only the public fields. */
export interface SearchPage extends Page<User> {
  publicOnly: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessType: string;
}

export interface SessionInfo {
  id: string;
  method: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  idleExpiresAt: Date;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: RoleName;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

export interface NewApiKey extends ApiKeyInfo {
  /** The key itself: shown once, never stored in clear. */
  key: string;
}

/** A pending invitation to create an account with a role. */
export interface Invitation {
  id: string;
  email: string;
  role: RoleName;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * How an invitation reaches the invitee: `email` mails the link; `link` mails nothing and hands the
 * link to the admin who created it, once, in the answer (for teams without mail).
 */
export type InvitationDelivery = 'email' | 'link';

/** A new invitation; `link` only with delivery `link`, and only in this one answer. */
export type CreatedInvitation = Invitation & { link?: string };

/** What the invitee chooses when accepting: the email and role come from the invitation. */
export interface AcceptInvitationInput {
  token: string;
  firstName: string;
  lastName: string;
  username: string;
  secret: string;
}

export const AUDIT_TYPES = [
  'signin_succeeded',
  'signin_failed',
  'locked',
  'unlocked',
  'token_refreshed',
  'refresh_reuse_detected',
  'signed_out',
  'session_revoked',
  'sessions_revoked',
  'user_created',
  'user_updated',
  'email_changed',
  'username_changed',
  'picture_changed',
  'tags_changed',
  'role_changed',
  'user_enabled',
  'user_disabled',
  'user_deleted',
  'user_purged',
  'password_changed',
  'key_created',
  'key_revoked',
  'verification_sent',
  'email_verified',
  'password_reset_requested',
  'password_reset',
  'invitation_created',
  'invitation_accepted',
  'invitation_revoked',
  'temporary_password_set',
  'mail_sent',
  'mail_failed',
  'recovery_owner_created',
  'settings_changed',
  'identity_linked',
  'identity_unlinked',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** One security event. Never holds a secret. */
export interface AuditEntry {
  id: string;
  type: AuditType;
  outcome: 'success' | 'failure';
  actorId: string | null;
  targetId: string | null;
  ip: string;
  userAgent: string;
  occurredAt: Date;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  since?: Date;
  until?: Date;
  type?: AuditType;
  userId?: string;
  limit: number;
  offset: number;
}

/**
 * The users domain: met by the plain implementation (domain/users.ts) and by every decorator
 * around it (middleware/*).
 */
export interface UsersService {
  /** Creates an account. `ctx.caller` is null for self-registration. */
  register(ctx: Ctx, user: NewUser): Promise<User>;
  /** Checks identity (email or username) and secret, then starts a session. */
  issueToken(ctx: Ctx, identity: string, secret: string): Promise<TokenPair>;
  /** Rotates a refresh token into a new pair. */
  refreshToken(ctx: Ctx, refreshToken: string): Promise<TokenPair>;
  /** Ends the caller's current session. */
  signOut(ctx: Ctx): Promise<void>;
  viewProfile(ctx: Ctx): Promise<User>;
  view(ctx: Ctx, id: string): Promise<User>;
  list(ctx: Ctx, query: ListQuery): Promise<Page<User>>;
  search(ctx: Ctx, query: SearchQuery): Promise<SearchPage>;
  update(ctx: Ctx, id: string, patch: ProfilePatch): Promise<User>;
  /**
   * Changing one's own address needs proof of presence: `secret` (the current password), or a
   * session signed in within the last 5 minutes.
   */
  updateEmail(ctx: Ctx, id: string, email: string, secret?: string): Promise<User>;
  updateUsername(ctx: Ctx, id: string, username: string): Promise<User>;
  updatePicture(ctx: Ctx, id: string, picture: string): Promise<User>;
  updateTags(ctx: Ctx, id: string, tags: string[]): Promise<User>;
  updateRole(ctx: Ctx, id: string, role: RoleName): Promise<User>;
  /** Sets another user's secret (admins, on users they manage). */
  setSecret(ctx: Ctx, id: string, secret: string): Promise<User>;
  /** Changes the caller's own secret. */
  changeSecret(ctx: Ctx, oldSecret: string, newSecret: string): Promise<User>;
  enable(ctx: Ctx, id: string): Promise<User>;
  disable(ctx: Ctx, id: string): Promise<User>;
  /** Soft delete: status deleted; the purge job removes the row later, or at once with `purge`. */
  remove(ctx: Ctx, id: string, opts?: { purge?: boolean }): Promise<void>;
  unlock(ctx: Ctx, id: string): Promise<void>;
  listSessions(ctx: Ctx, userId: string): Promise<SessionInfo[]>;
  revokeSession(ctx: Ctx, userId: string, sessionId: string): Promise<void>;
  revokeSessions(ctx: Ctx, userId: string): Promise<number>;
  createKey(ctx: Ctx, name: string, expiresInSeconds: number): Promise<NewApiKey>;
  listKeys(ctx: Ctx): Promise<ApiKeyInfo[]>;
  revokeKey(ctx: Ctx, id: string): Promise<void>;
  listAudit(ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntry>>;
  /** Hard-deletes users deleted before `before`; run by the purge job. */
  purgeDeleted(ctx: Ctx, before: Date): Promise<number>;
  /** Mails the caller a single-use link that verifies their email address. */
  sendVerification(ctx: Ctx): Promise<void>;
  /** Spends a verification token: the address it was mailed to becomes verified. */
  verifyEmail(ctx: Ctx, token: string): Promise<User>;
  /** Mails a reset link when the address is an enabled account's; answers alike, in the same time, either way. */
  requestPasswordReset(ctx: Ctx, email: string): Promise<void>;
  /** Spends a reset token: sets the secret and ends every session of the user. */
  resetPassword(ctx: Ctx, token: string, secret: string): Promise<void>;
  /** Invites `email` to create an account with `role`: mails the link, or returns it once (`link`). */
  createInvitation(
    ctx: Ctx,
    email: string,
    role: RoleName,
    delivery?: InvitationDelivery,
  ): Promise<CreatedInvitation>;
  /** Pending invitations (not accepted, revoked or expired), newest first. */
  listInvitations(ctx: Ctx, page: { offset: number; limit: number }): Promise<Page<Invitation>>;
  revokeInvitation(ctx: Ctx, id: string): Promise<void>;
  /** Spends an invitation token: creates the invited, verified account. */
  acceptInvitation(ctx: Ctx, input: AcceptInvitationInput): Promise<User>;
  /**
   * Replaces a user's secret with a generated one, returned this once. Its sessions end, and a
   * session begun with it may only change the secret until a new one is set.
   */
  setTemporaryPassword(ctx: Ctx, id: string): Promise<string>;
}
