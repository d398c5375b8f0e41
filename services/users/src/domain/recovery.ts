import { randomBytes } from 'crypto';
import { ConflictError, invalidEmailToken } from '../errors';
import type { AuditLog, AuthPort, LockoutStore, PasswordHasher, UnitOfWork, UsersRepository } from '../ports';
import type { Ctx, User } from '../service';
import { lockKey } from './access';
import type { Accounts } from './accounts';
import { audit } from './audit';
import type { LinkMailer } from './email-links';
import type { SecurityNotices } from './notices';

export interface RecoveryOptions {
  /**
   * A reset request answers no sooner than this after it arrived, whether or not a mail is queued:
   * the time taken does not tell whether the address has an account.
   */
  resetFloorMs: number;
  /** Mails the owner that the password changed (left out in unit tests without mail). */
  notices?: SecurityNotices;
}

/** How a mail greets the user. */
export const greetingName = (u: User) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Email verification, password reset by email, and temporary passwords set by an admin. */
export class Recovery {
  constructor(
    private readonly repo: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthPort,
    private readonly log: AuditLog,
    private readonly lockout: LockoutStore,
    private readonly uow: UnitOfWork,
    private readonly accounts: Accounts,
    private readonly links: LinkMailer,
    private readonly options: RecoveryOptions,
  ) {}

  async sendVerification(ctx: Ctx): Promise<void> {
    const user = await this.accounts.load(ctx.caller!.userId);
    if (user.verifiedAt) throw new ConflictError('the email address is already verified');
    await this.uow.run(async () => {
      // One live link at a time: a new one replaces those sent before.
      await this.links.spendAll('verification', user.id);
      const { expiresAt } = await this.links.mail(
        'verification',
        { email: user.email, userId: user.id, invitationId: null },
        { name: greetingName(user) },
      );
      await audit(this.log, ctx, 'verification_sent', user.id, { expires_at: expiresAt.toISOString() });
    });
    this.links.wake();
  }

  verifyEmail(ctx: Ctx, token: string): Promise<User> {
    return this.uow.run(async () => {
      const spent = await this.links.consume('verification', token);
      const user = spent?.userId ? await this.repo.findById(spent.userId) : null;
      // The link vouches for the address it was mailed to, not one the account has moved to since.
      if (
        !spent ||
        !user ||
        user.status === 'deleted' ||
        user.email.toLowerCase() !== spent.email.toLowerCase()
      )
        throw invalidEmailToken();
      if (user.verifiedAt) return user;
      return this.accounts.save(
        ctx,
        user,
        'email_verified',
        (u) => (u.verifiedAt = new Date()),
        ['verifiedAt'],
        {},
      );
    });
  }

  async requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
    const floor = sleep(this.options.resetFloorMs);
    try {
      const user = await this.repo.findByEmail(email);
      if (!user || user.status !== 'enabled') {
        await audit(
          this.log,
          ctx,
          'password_reset_requested',
          user?.id ?? null,
          { email: email.trim().toLowerCase(), reason: user ? 'not_enabled' : 'no_account' },
          'failure',
        );
        return;
      }
      await this.uow.run(async () => {
        await this.links.spendAll('password_reset', user.id);
        const { expiresAt } = await this.links.mail(
          'password_reset',
          { email: user.email, userId: user.id, invitationId: null },
          { name: greetingName(user) },
        );
        await audit(this.log, ctx, 'password_reset_requested', user.id, {
          expires_at: expiresAt.toISOString(),
        });
      });
      this.links.wake();
    } finally {
      await floor;
    }
  }

  async resetPassword(ctx: Ctx, token: string, secret: string): Promise<void> {
    this.accounts.checkSecret(secret, 'password');
    const hash = await this.hasher.hash(secret);
    // Token, secret and sessions change together: any failure leaves the token usable.
    const userId = await this.uow.run(async () => {
      const spent = await this.links.consume('password_reset', token);
      const user = spent?.userId ? await this.repo.findById(spent.userId) : null;
      // The link vouches for the address it was mailed to: after an email change it is void.
      if (!user || user.status !== 'enabled' || user.email.toLowerCase() !== spent!.email.toLowerCase())
        throw invalidEmailToken();
      await this.repo.updateSecretHash(user.id, hash, { mustChange: false });
      await this.links.spendAll('password_reset', user.id);
      // Reading the mail proves the address is the owner's: an unverified account becomes verified
      // (so it may be linked to an external identity with the same address afterwards).
      const fields: (keyof User)[] = user.verifiedAt ? [] : ['verifiedAt'];
      await this.repo.update(
        { ...user, verifiedAt: user.verifiedAt ?? new Date(), updatedAt: new Date(), updatedBy: user.id },
        [...fields, 'updatedAt', 'updatedBy'],
      );
      // Sessions and API keys alike: whoever held the account before keeps no way in.
      const revoked = await this.auth.revokeUserSessions(user.id, {
        reason: 'password_reset',
        includeApiKeys: true,
      });
      await this.options.notices?.passwordChanged(user, 'reset');
      await audit(this.log, ctx, 'password_reset', user.id, {
        sessions_revoked: revoked,
        ...(user.verifiedAt ? {} : { email_verified: true }),
      });
      return user.id;
    });
    this.options.notices?.wake();
    // Whoever could read the mail owns the account again: earlier failed sign-ins no longer count.
    await this.lockout.clear(lockKey(userId, ''));
  }

  async setTemporaryPassword(ctx: Ctx, id: string): Promise<string> {
    // 120 random bits; exempt from the password policy since it must be replaced at once.
    const secret = randomBytes(15).toString('base64url');
    const hash = await this.hasher.hash(secret);
    await this.uow.run(async () => {
      const user = await this.accounts.load(id);
      await this.repo.updateSecretHash(id, hash, { mustChange: true });
      await this.accounts.save(ctx, user, 'temporary_password_set', () => undefined, [], {});
      await this.auth.revokeUserSessions(id, { reason: 'temporary_password', includeApiKeys: true });
      await this.options.notices?.passwordChanged(user, 'temporary');
    });
    this.options.notices?.wake();
    await this.lockout.clear(lockKey(id, ''));
    return secret;
  }
}
