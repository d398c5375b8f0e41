import { roleAtLeast, type RoleName } from '@usher/contracts';
import { AuthenticationError, AuthorizationError, NotFoundError } from '../errors';
import type { InvitationsRepository, UsersRepository } from '../ports';
import type {
  AcceptInvitationInput,
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  Caller,
  Ctx,
  CreatedInvitation,
  Invitation,
  InvitationDelivery,
  ListQuery,
  NewApiKey,
  NewUser,
  Page,
  ProfilePatch,
  SearchPage,
  SearchQuery,
  SessionInfo,
  TokenPair,
  User,
  UsersService,
} from '../service';

export interface AuthorizationOptions {
  /** USHER_USERS_ALLOW_SELF_REGISTER */
  allowSelfRegister: boolean;
}

/** Admins manage viewers and editors; owners manage everyone. Nobody acts on a higher role. */
export const manages = (actor: RoleName, target: RoleName): boolean =>
  actor === 'owner' || (actor === 'admin' && (target === 'viewer' || target === 'editor'));

/** Roles a caller may hand out: admins viewer and editor, owners any. */
export const canAssign = (actor: RoleName, role: RoleName): boolean => manages(actor, role);

/** A caller sees every field of their own account, and admins and owners of every account. */
export const seesAllOf = (caller: Caller, id: string): boolean =>
  caller.userId === id || roleAtLeast(caller.role, 'admin');

/** Only what any signed-in user may see of another (see toPublicUserDto). */
const publicProjection = (u: User): User => ({
  ...u,
  email: '',
  role: 'viewer',
  tags: [],
  metadata: {},
  privateMetadata: {},
  verifiedAt: null,
  updatedBy: null,
});

const forbidden = (what: string) => new AuthorizationError(`not allowed to ${what}`);

/** Who may do what: every rule about callers and roles lives here, not in the domain. */
export class AuthorizedUsers implements UsersService {
  constructor(
    private readonly inner: UsersService,
    private readonly repo: UsersRepository,
    private readonly options: AuthorizationOptions,
    private readonly invitations: Pick<InvitationsRepository, 'findPending'>,
  ) {}

  private caller(ctx: Ctx): Caller {
    if (!ctx.caller) throw new AuthenticationError('missing bearer token');
    return ctx.caller;
  }

  /**
   * The target of an action on another account. Admins learn that an id does not exist (404);
   * others get 403 either way, so ids cannot be probed.
   */
  private async target(caller: Caller, id: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user || user.status === 'deleted') {
      if (roleAtLeast(caller.role, 'admin')) throw new NotFoundError('user not found');
      throw forbidden('act on this user');
    }
    return user;
  }

  /** Self, or a user the caller manages. */
  private async selfOrManaged(ctx: Ctx, id: string, what: string): Promise<void> {
    const caller = this.caller(ctx);
    if (caller.userId === id) return;
    const target = await this.target(caller, id);
    if (!manages(caller.role, target.role)) throw forbidden(what);
  }

  /** Only a user the caller manages (owners may act on themselves, being owners). */
  private async managed(ctx: Ctx, id: string, what: string): Promise<User> {
    const caller = this.caller(ctx);
    const target = await this.target(caller, id);
    if (!manages(caller.role, target.role)) throw forbidden(what);
    return target;
  }

  async register(ctx: Ctx, user: NewUser): Promise<User> {
    const caller = ctx.caller;
    if (caller && roleAtLeast(caller.role, 'admin')) {
      if (!canAssign(caller.role, user.role)) throw forbidden(`create a user with the role ${user.role}`);
      return this.inner.register(ctx, user);
    }
    if (!this.options.allowSelfRegister) {
      throw caller
        ? new AuthorizationError('self-registration is disabled: only admins create users')
        : new AuthenticationError('self-registration is disabled: sign in as an admin to create users');
    }
    // Self-registration: always an enabled viewer, whatever the body asked for.
    return this.inner.register({ ...ctx, caller: null }, { ...user, role: 'viewer', status: 'enabled' });
  }

  issueToken(ctx: Ctx, identity: string, secret: string): Promise<TokenPair> {
    return this.inner.issueToken(ctx, identity, secret);
  }

  refreshToken(ctx: Ctx, refreshToken: string): Promise<TokenPair> {
    return this.inner.refreshToken(ctx, refreshToken);
  }

  async signOut(ctx: Ctx): Promise<void> {
    this.caller(ctx);
    return this.inner.signOut(ctx);
  }

  async viewProfile(ctx: Ctx): Promise<User> {
    this.caller(ctx);
    return this.inner.viewProfile(ctx);
  }

  /**
   * Anyone signed in may look another user up, as in Magistrala, and gets the public fields only
   * (the rest is blanked here, whatever the edge encodes); a user who is not enabled is not found.
   */
  async view(ctx: Ctx, id: string): Promise<User> {
    const caller = this.caller(ctx);
    if (seesAllOf(caller, id)) return this.inner.view(ctx, id);
    const user = await this.inner.view(ctx, id);
    if (user.status !== 'enabled') throw new NotFoundError('user not found');
    return publicProjection(user);
  }

  async list(ctx: Ctx, query: ListQuery): Promise<Page<User>> {
    if (!roleAtLeast(this.caller(ctx).role, 'admin')) throw forbidden('list users');
    return this.inner.list(ctx, query);
  }

  async search(ctx: Ctx, query: SearchQuery): Promise<SearchPage> {
    const full = roleAtLeast(this.caller(ctx).role, 'admin');
    return this.inner.search(ctx, { ...query, scope: full ? 'full' : 'public' });
  }

  async update(ctx: Ctx, id: string, patch: ProfilePatch): Promise<User> {
    await this.selfOrManaged(ctx, id, 'update this user');
    return this.inner.update(ctx, id, patch);
  }

  async updateEmail(ctx: Ctx, id: string, email: string, secret?: string): Promise<User> {
    await this.selfOrManaged(ctx, id, "change this user's email");
    return this.inner.updateEmail(ctx, id, email, secret);
  }

  async updateUsername(ctx: Ctx, id: string, username: string): Promise<User> {
    await this.selfOrManaged(ctx, id, "change this user's username");
    return this.inner.updateUsername(ctx, id, username);
  }

  async updatePicture(ctx: Ctx, id: string, picture: string): Promise<User> {
    await this.selfOrManaged(ctx, id, "change this user's picture");
    return this.inner.updatePicture(ctx, id, picture);
  }

  async updateTags(ctx: Ctx, id: string, tags: string[]): Promise<User> {
    await this.selfOrManaged(ctx, id, "change this user's tags");
    return this.inner.updateTags(ctx, id, tags);
  }

  async updateRole(ctx: Ctx, id: string, role: RoleName): Promise<User> {
    await this.managed(ctx, id, "change this user's role");
    if (!canAssign(this.caller(ctx).role, role)) throw forbidden(`give the role ${role}`);
    return this.inner.updateRole(ctx, id, role);
  }

  async setSecret(ctx: Ctx, id: string, secret: string): Promise<User> {
    if (this.caller(ctx).userId === id)
      throw forbidden('set your own secret this way: use PATCH /users/secret with old_secret');
    await this.managed(ctx, id, "set this user's secret");
    return this.inner.setSecret(ctx, id, secret);
  }

  async changeSecret(ctx: Ctx, oldSecret: string, newSecret: string): Promise<User> {
    this.caller(ctx);
    return this.inner.changeSecret(ctx, oldSecret, newSecret);
  }

  async enable(ctx: Ctx, id: string): Promise<User> {
    await this.managed(ctx, id, 'enable this user');
    return this.inner.enable(ctx, id);
  }

  async disable(ctx: Ctx, id: string): Promise<User> {
    await this.managed(ctx, id, 'disable this user');
    return this.inner.disable(ctx, id);
  }

  async remove(ctx: Ctx, id: string, opts?: { purge?: boolean }): Promise<void> {
    if (this.caller(ctx).role !== 'owner') throw forbidden('delete users');
    // A purge may take an account that is already soft-deleted (owners manage every role).
    if (opts?.purge) {
      if (!(await this.repo.findById(id))) throw new NotFoundError('user not found');
    } else {
      await this.managed(ctx, id, 'delete this user');
    }
    return this.inner.remove(ctx, id, opts);
  }

  async unlock(ctx: Ctx, id: string): Promise<void> {
    await this.managed(ctx, id, 'unlock this user');
    return this.inner.unlock(ctx, id);
  }

  async listSessions(ctx: Ctx, userId: string): Promise<SessionInfo[]> {
    await this.selfOrManaged(ctx, userId, "see this user's sessions");
    return this.inner.listSessions(ctx, userId);
  }

  async revokeSession(ctx: Ctx, userId: string, sessionId: string): Promise<void> {
    await this.selfOrManaged(ctx, userId, "revoke this user's sessions");
    return this.inner.revokeSession(ctx, userId, sessionId);
  }

  async revokeSessions(ctx: Ctx, userId: string): Promise<number> {
    await this.selfOrManaged(ctx, userId, "revoke this user's sessions");
    return this.inner.revokeSessions(ctx, userId);
  }

  async createKey(ctx: Ctx, name: string, expiresInSeconds: number): Promise<NewApiKey> {
    this.caller(ctx);
    return this.inner.createKey(ctx, name, expiresInSeconds);
  }

  async listKeys(ctx: Ctx): Promise<ApiKeyInfo[]> {
    this.caller(ctx);
    return this.inner.listKeys(ctx);
  }

  async revokeKey(ctx: Ctx, id: string): Promise<void> {
    this.caller(ctx);
    return this.inner.revokeKey(ctx, id);
  }

  async listAudit(ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntry>> {
    if (!roleAtLeast(this.caller(ctx).role, 'admin')) throw forbidden('read the audit log');
    return this.inner.listAudit(ctx, query);
  }

  async sendVerification(ctx: Ctx): Promise<void> {
    this.caller(ctx);
    return this.inner.sendVerification(ctx);
  }

  /** Whoever holds a mailed token may spend it: the token is the credential. */
  verifyEmail(ctx: Ctx, token: string): Promise<User> {
    return this.inner.verifyEmail(ctx, token);
  }

  requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
    return this.inner.requestPasswordReset(ctx, email);
  }

  resetPassword(ctx: Ctx, token: string, secret: string): Promise<void> {
    return this.inner.resetPassword(ctx, token, secret);
  }

  acceptInvitation(ctx: Ctx, input: AcceptInvitationInput): Promise<User> {
    return this.inner.acceptInvitation(ctx, input);
  }

  async setTemporaryPassword(ctx: Ctx, id: string): Promise<string> {
    if (this.caller(ctx).userId === id)
      throw forbidden('give yourself a temporary password: use PATCH /users/secret');
    await this.managed(ctx, id, 'set a temporary password for this user');
    return this.inner.setTemporaryPassword(ctx, id);
  }

  /** Admins invite viewers and editors; owners any role (the rule of canAssign). */
  async createInvitation(
    ctx: Ctx,
    email: string,
    role: RoleName,
    delivery?: InvitationDelivery,
  ): Promise<CreatedInvitation> {
    const caller = this.caller(ctx);
    if (!roleAtLeast(caller.role, 'admin')) throw forbidden('invite users');
    if (!canAssign(caller.role, role)) throw forbidden(`invite with the role ${role}`);
    return this.inner.createInvitation(ctx, email, role, delivery);
  }

  async listInvitations(ctx: Ctx, page: { offset: number; limit: number }): Promise<Page<Invitation>> {
    if (!roleAtLeast(this.caller(ctx).role, 'admin')) throw forbidden('list invitations');
    return this.inner.listInvitations(ctx, page);
  }

  /** Only an invitation the caller could have made. */
  async revokeInvitation(ctx: Ctx, id: string): Promise<void> {
    const caller = this.caller(ctx);
    if (!roleAtLeast(caller.role, 'admin')) throw forbidden('revoke invitations');
    const invitation = await this.invitations.findPending(id);
    if (!invitation) throw new NotFoundError('invitation not found');
    if (!canAssign(caller.role, invitation.role))
      throw forbidden(`revoke an invitation as ${invitation.role}`);
    return this.inner.revokeInvitation(ctx, id);
  }

  /** Run by the purge job inside the service, never from a request. */
  purgeDeleted(ctx: Ctx, before: Date): Promise<number> {
    if (ctx.caller) return Promise.reject(forbidden('purge users'));
    return this.inner.purgeDeleted(ctx, before);
  }
}
