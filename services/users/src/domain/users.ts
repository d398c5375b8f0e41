import type { RoleName } from '@usher/contracts';
import type {
  AuditLog,
  AuthPort,
  EmailTokenStore,
  InvitationsRepository,
  LockoutStore,
  MailQueue,
  MailTemplates,
  PasswordHasher,
  UnitOfWork,
  UsersRepository,
} from '../ports';
import type {
  AcceptInvitationInput,
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
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
import { Access } from './access';
import { Accounts } from './accounts';
import { LinkMailer, type LinksOptions } from './email-links';
import { SecurityNotices } from './notices';
import { Presence } from './presence';
import { Invitations } from './invitations';
import { Recovery } from './recovery';

export interface UsersOptions {
  /** USHER_USERS_PASS_REGEX */
  passRegex: RegExp;
  /** A hash of a random secret made with the live settings: unknown identities are compared against it. */
  dummyHash: string;
  lockout: { threshold: number; windowMs: number; durationMs: number };
  /** Emailed links: where they point and how long they work. */
  links: LinksOptions;
  /** A password-reset request answers no sooner than this (default 250 ms), account or not. */
  resetFloorMs?: number;
}

export interface UsersDeps {
  repo: UsersRepository;
  hasher: PasswordHasher;
  auth: AuthPort;
  audit: AuditLog;
  lockout: LockoutStore;
  uow: UnitOfWork;
  emailTokens: EmailTokenStore;
  invitations: InvitationsRepository;
  mailQueue: MailQueue;
  mailTemplates: MailTemplates;
}

/**
 * The plain users domain: no HTTP, no SQL, no authorization (middleware/authorization.ts). Accounts
 * (domain/accounts.ts) and access (domain/access.ts) hold the logic; this class is the one
 * UsersService they make together.
 */
export class Users implements UsersService {
  private readonly accounts: Accounts;
  private readonly access: Access;
  private readonly recovery: Recovery;
  private readonly invitations: Invitations;
  private readonly presence: Presence;

  constructor(deps: UsersDeps, options: UsersOptions) {
    const notices = new SecurityNotices(deps.mailQueue);
    this.accounts = new Accounts(deps.repo, deps.hasher, deps.auth, deps.audit, deps.uow, {
      passRegex: options.passRegex,
      notices,
    });
    this.access = new Access(deps.repo, deps.hasher, deps.auth, deps.audit, deps.lockout, deps.uow, options);
    this.presence = new Presence(deps.auth, this.access);
    const links = new LinkMailer(deps.emailTokens, deps.mailQueue, deps.mailTemplates, options.links);
    this.recovery = new Recovery(
      deps.repo,
      deps.hasher,
      deps.auth,
      deps.audit,
      deps.lockout,
      deps.uow,
      this.accounts,
      links,
      { resetFloorMs: options.resetFloorMs ?? 250, notices },
    );
    this.invitations = new Invitations(
      deps.repo,
      deps.invitations,
      deps.audit,
      deps.uow,
      this.accounts,
      links,
    );
  }

  register = (ctx: Ctx, user: NewUser): Promise<User> => this.accounts.register(ctx, user);
  issueToken = (ctx: Ctx, identity: string, secret: string): Promise<TokenPair> =>
    this.access.issueToken(ctx, identity, secret);
  refreshToken = (ctx: Ctx, token: string): Promise<TokenPair> => this.access.refreshToken(ctx, token);
  signOut = (ctx: Ctx): Promise<void> => this.access.signOut(ctx);
  viewProfile = (ctx: Ctx): Promise<User> => this.accounts.load(ctx.caller!.userId);
  view = (ctx: Ctx, id: string): Promise<User> => this.accounts.view(ctx, id);
  list = (ctx: Ctx, query: ListQuery): Promise<Page<User>> => this.accounts.list(ctx, query);
  search = (ctx: Ctx, query: SearchQuery): Promise<SearchPage> => this.accounts.search(ctx, query);
  update = (ctx: Ctx, id: string, patch: ProfilePatch): Promise<User> => this.accounts.update(ctx, id, patch);
  async updateEmail(ctx: Ctx, id: string, email: string, secret?: string): Promise<User> {
    if (ctx.caller?.userId === id) await this.presence.prove(ctx, secret);
    return this.accounts.updateEmail(ctx, id, email);
  }
  updateUsername = (ctx: Ctx, id: string, username: string): Promise<User> =>
    this.accounts.updateUsername(ctx, id, username);
  updatePicture = (ctx: Ctx, id: string, picture: string): Promise<User> =>
    this.accounts.updatePicture(ctx, id, picture);
  updateTags = (ctx: Ctx, id: string, tags: string[]): Promise<User> =>
    this.accounts.updateTags(ctx, id, tags);
  updateRole = (ctx: Ctx, id: string, role: RoleName): Promise<User> =>
    this.accounts.updateRole(ctx, id, role);
  setSecret = (ctx: Ctx, id: string, secret: string): Promise<User> =>
    this.accounts.setSecret(ctx, id, secret);
  enable = (ctx: Ctx, id: string): Promise<User> => this.accounts.enable(ctx, id);
  disable = (ctx: Ctx, id: string): Promise<User> => this.accounts.disable(ctx, id);
  remove = (ctx: Ctx, id: string, opts?: { purge?: boolean }): Promise<void> =>
    this.accounts.remove(ctx, id, opts);
  purgeDeleted = (ctx: Ctx, before: Date): Promise<number> => this.accounts.purgeDeleted(ctx, before);
  unlock = (ctx: Ctx, id: string): Promise<void> => this.access.unlock(ctx, id);
  listSessions = (ctx: Ctx, userId: string): Promise<SessionInfo[]> => this.access.listSessions(ctx, userId);
  revokeSession = (ctx: Ctx, userId: string, id: string): Promise<void> =>
    this.access.revokeSession(ctx, userId, id);
  revokeSessions = (ctx: Ctx, userId: string): Promise<number> => this.access.revokeSessions(ctx, userId);
  listKeys = (ctx: Ctx): Promise<ApiKeyInfo[]> => this.access.listKeys(ctx);
  revokeKey = (ctx: Ctx, id: string): Promise<void> => this.access.revokeKey(ctx, id);
  listAudit = (ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntry>> => this.access.listAudit(ctx, query);

  async changeSecret(ctx: Ctx, oldSecret: string, newSecret: string): Promise<User> {
    const id = ctx.caller!.userId;
    await this.access.verifySecret(id, oldSecret);
    return this.accounts.setSecret(ctx, id, newSecret, 'self');
  }

  createKey = (ctx: Ctx, name: string, expiresInSeconds: number): Promise<NewApiKey> =>
    this.access.createKey(ctx, name, expiresInSeconds);

  sendVerification = (ctx: Ctx): Promise<void> => this.recovery.sendVerification(ctx);
  verifyEmail = (ctx: Ctx, token: string): Promise<User> => this.recovery.verifyEmail(ctx, token);
  requestPasswordReset = (ctx: Ctx, email: string): Promise<void> =>
    this.recovery.requestPasswordReset(ctx, email);
  resetPassword = (ctx: Ctx, token: string, secret: string): Promise<void> =>
    this.recovery.resetPassword(ctx, token, secret);
  setTemporaryPassword = (ctx: Ctx, id: string): Promise<string> =>
    this.recovery.setTemporaryPassword(ctx, id);
  createInvitation = (
    ctx: Ctx,
    email: string,
    role: RoleName,
    delivery: InvitationDelivery = 'email',
  ): Promise<CreatedInvitation> => this.invitations.create(ctx, email, role, delivery);
  listInvitations = (ctx: Ctx, page: { offset: number; limit: number }): Promise<Page<Invitation>> =>
    this.invitations.list(ctx, page);
  revokeInvitation = (ctx: Ctx, id: string): Promise<void> => this.invitations.revoke(ctx, id);
  acceptInvitation = (ctx: Ctx, input: AcceptInvitationInput): Promise<User> =>
    this.invitations.accept(ctx, input);
}
