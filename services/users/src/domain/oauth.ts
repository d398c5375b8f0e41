import { randomBytes, randomUUID } from 'crypto';
import { ConflictError, NotFoundError, UsherError, ValidationError } from '../errors';
import type { AuditLog, AuthPort, LockoutStore, UnitOfWork, UsersRepository } from '../ports';
import type { Ctx, TokenPair, User } from '../service';
import { lockKey } from './access';
import { audit } from './audit';
import { SessionCheck } from './session-check';

/** What a provider told us about the person, after every check of its answer passed. */
export interface ExternalProfile {
  provider: string;
  /** The provider's stable id of the person (`sub`, or GitHub's numeric id). */
  subject: string;
  email: string;
  /** True only when the provider says it verified the address. */
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  picture: string;
  /** A preferred username, if the provider has one. */
  username: string;
}

/** A link between an Usher account and an account at a provider. */
export interface Identity {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Storage of linked identities (src/postgres/identity-repository.ts). */
export interface IdentityStore {
  find(provider: string, subject: string): Promise<Identity | null>;
  create(identity: Identity): Promise<void>;
  touch(id: string, email: string): Promise<void>;
  listByUser(userId: string): Promise<Identity[]>;
  lockByUser(userId: string): Promise<Identity[]>;
  remove(userId: string, id: string): Promise<boolean>;
}

/**
 * A refused external sign-in. `code` is the short code that goes to the UI error URL; the message
 * stays in the audit log and the service's own log, never in a URL.
 */
export class OAuthError extends UsherError {
  readonly kind = 'unauthenticated';
  constructor(
    readonly code: string,
    message: string,
    /** The account concerned, when one was found (the audit entry's target). */
    readonly userId?: string,
  ) {
    super(message);
  }
}

export interface OAuthAccountsOptions {
  /** USHER_USERS_ALLOW_SELF_REGISTER: when false, unknown people are refused, not created. */
  allowSelfRegister: boolean;
}

/**
 * Sign-in with external identity providers, after the provider's answer was checked
 * (src/oauth/providers.ts): finds the account by its link, links a verified email to an account
 * that verified the same address (never to an unverified one), or creates a viewer; refuses disabled and locked accounts; starts an ordinary Usher session.
 */
export class OAuthAccounts {
  constructor(
    private readonly repo: UsersRepository,
    private readonly identities: IdentityStore,
    private readonly auth: AuthPort,
    private readonly log: AuditLog,
    private readonly lockout: LockoutStore,
    private readonly uow: UnitOfWork,
    private readonly options: OAuthAccountsOptions,
  ) {}

  async signIn(ctx: Ctx, profile: ExternalProfile): Promise<TokenPair> {
    const method = `oauth:${profile.provider}`;
    const user = await this.uow.run(async () => {
      const linked = await this.identities.find(profile.provider, profile.subject);
      if (linked) {
        const u = await this.repo.findById(linked.userId);
        if (!u)
          throw new OAuthError('account_disabled', 'the linked account no longer exists', linked.userId);
        await this.identities.touch(linked.id, profile.email);
        return u;
      }
      const existing = profile.email ? await this.repo.findByEmail(profile.email) : null;
      if (existing) {
        if (!profile.emailVerified) {
          // Anyone can claim an address at a provider that does not verify it: never link on it.
          throw new OAuthError(
            'email_not_verified',
            `the provider did not verify ${profile.email}, which belongs to an account: not linked`,
            existing.id,
          );
        }
        if (existing.status !== 'enabled') {
          throw new OAuthError('account_disabled', 'the account with this email is not enabled', existing.id);
        }
        if (!existing.verifiedAt) {
          // Pre-account hijack: anyone may register an address they do not own and keep a password
          // or API key into it. Only an account that proved it owns the address is linked; its
          // owner proves it by verification or a password reset (which also ends keys and sessions).
          throw new OAuthError(
            'account_not_verified',
            `the account with ${profile.email} never verified its address: not linked`,
            existing.id,
          );
        }
        await this.link(ctx, existing, profile);
        return existing;
      }
      if (!this.options.allowSelfRegister) {
        throw new OAuthError(
          'registration_disabled',
          'self-registration is disabled and no account matches this identity',
        );
      }
      if (!profile.email) throw new OAuthError('email_missing', 'the provider gave no email address');
      const created = await this.createAccount(ctx, profile);
      await this.link(ctx, created, profile);
      return created;
    });
    if (user.status !== 'enabled') {
      throw new OAuthError('account_disabled', 'the account is not enabled', user.id);
    }
    const lockedUntil = await this.lockout.lockedUntil(lockKey(user.id, ''));
    if (lockedUntil) throw new OAuthError('account_locked', 'the account is locked', user.id);
    const pair = await this.auth.issue(user, ctx.client, method);
    // Disabled, demoted or locked out while this sign-in ran: the new session is revoked too.
    const check = new SessionCheck(this.repo, this.auth, this.log, this.uow);
    if (await check.afterSignIn(ctx, { user }, pair.sessionId, method))
      throw new OAuthError('account_changed', 'the account changed during the sign-in: try again', user.id);
    await audit(this.log, { ...ctx, caller: null }, 'signin_succeeded', user.id, {
      session_id: pair.sessionId,
      method,
    });
    return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessType: pair.accessType };
  }

  /** Audits a refused sign-in (the user, when known, is the target). */
  async failed(ctx: Ctx, provider: string, code: string, reason: string, userId?: string): Promise<void> {
    await audit(
      this.log,
      { ...ctx, caller: null },
      'signin_failed',
      userId ?? null,
      { method: `oauth:${provider}`, reason: code, detail: reason.slice(0, 200) },
      'failure',
    );
  }

  listIdentities(ctx: Ctx): Promise<Identity[]> {
    return this.identities.listByUser(ctx.caller!.userId);
  }

  /** Unlinks one of the caller's identities, unless it is their last way to sign in. */
  async unlink(ctx: Ctx, id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ValidationError('expected a UUID', 'id');
    const userId = ctx.caller!.userId;
    await this.uow.run(async () => {
      const mine = await this.identities.lockByUser(userId);
      const target = mine.find((i) => i.id === id);
      if (!target) throw new NotFoundError('identity not found');
      const hash = await this.repo.secretHashOf(userId);
      if (!hash && mine.length <= 1) {
        throw new ConflictError('this identity is the last way to sign in: set a password first');
      }
      await this.identities.remove(userId, id);
      await audit(this.log, ctx, 'identity_unlinked', userId, {
        identity_id: id,
        provider: target.provider,
      });
    });
  }

  private async link(ctx: Ctx, user: User, profile: ExternalProfile): Promise<void> {
    const identity: Identity = {
      id: randomUUID(),
      userId: user.id,
      provider: profile.provider,
      subject: profile.subject,
      email: profile.email,
      createdAt: new Date(),
      lastUsedAt: new Date(),
    };
    await this.identities.create(identity);
    await audit(this.log, { ...ctx, caller: null }, 'identity_linked', user.id, {
      identity_id: identity.id,
      provider: profile.provider,
    });
  }

  /** A new viewer with no password (an empty hash matches no secret): it signs in through its links. */
  private async createAccount(ctx: Ctx, profile: ExternalProfile): Promise<User> {
    const base =
      (profile.username || profile.email.split('@')[0] || 'user')
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '')
        .slice(0, 40) || 'user';
    const user: User = {
      id: randomUUID(),
      firstName: profile.firstName || base,
      lastName: profile.lastName,
      email: profile.email,
      username: `${base}-${randomBytes(3).toString('hex')}`,
      role: 'viewer',
      status: 'enabled',
      tags: [],
      metadata: {},
      privateMetadata: {},
      picture: profile.picture,
      verifiedAt: profile.emailVerified ? new Date() : null,
      createdAt: new Date(),
      updatedAt: null,
      updatedBy: null,
    };
    const created = await this.repo.create(user, '');
    await audit(this.log, { ...ctx, caller: null }, 'user_created', created.id, {
      role: created.role,
      status: created.status,
      provider: profile.provider,
      method: `oauth:${profile.provider}`,
    });
    return created;
  }
}
