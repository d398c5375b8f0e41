import { AuthenticationError } from '../errors';
import type { AuditLog, AuthPort, RefreshedClaims, UnitOfWork, UsersRepository } from '../ports';
import type { Ctx, User } from '../service';
import { audit } from './audit';

/** What a session was issued on: the account as read, and the hash the secret was compared with. */
export interface IssuedOn {
  user: User;
  /** Left out for a way in that compared no password (external identity). */
  secretHash?: string;
}

/** Why the account as it is now no longer matches what a session was issued on; null: it matches. */
function changeOf(
  was: { role: string; verified: boolean; secretHash?: string },
  now: { user: User; secretHash: string } | null,
): string | null {
  if (!now) return 'deleted';
  if (now.user.status !== 'enabled') return now.user.status;
  if (now.user.role !== was.role) return 'role_changed';
  if ((now.user.verifiedAt !== null) !== was.verified) return 'verification_changed';
  if (was.secretHash !== undefined && now.secretHash !== was.secretHash) return 'password_changed';
  return null;
}

/**
 * Closes the revocation races of sign-in and refresh. A disable, demotion, reset or temporary
 * password that lands while a sign-in compares its secret revokes the sessions that exist then,
 * not the one about to be made; and auth's refresh copies the claims of the session. So after auth
 * answers, the account is read again under a share lock (which waits for a change still in flight
 * to commit, after which the change's own revocation has run): if it changed, the new session is
 * revoked and the caller refused.
 */
export class SessionCheck {
  constructor(
    private readonly repo: UsersRepository,
    private readonly auth: AuthPort,
    private readonly log: AuditLog,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * After a sign-in issued `sessionId`: what changed (the session is then revoked and the caller
   * must be refused), or null.
   */
  afterSignIn(ctx: Ctx, issued: IssuedOn, sessionId: string, method: string): Promise<string | null> {
    const was = {
      role: issued.user.role,
      verified: issued.user.verifiedAt !== null,
      secretHash: issued.secretHash,
    };
    return this.check(ctx, issued.user.id, sessionId, was, { method });
  }

  /** After a refresh: a disabled or changed account gets no new token (its session is ended). */
  async afterRefresh(ctx: Ctx, claims: RefreshedClaims): Promise<void> {
    const change = await this.check(ctx, claims.userId, claims.sessionId, claims, { method: 'refresh' });
    if (change) throw new AuthenticationError('the account changed since this session began: sign in again');
  }

  private async check(
    ctx: Ctx,
    userId: string,
    sessionId: string,
    was: { role: string; verified: boolean; secretHash?: string },
    details: Record<string, unknown>,
  ): Promise<string | null> {
    const change = await this.uow.run(async () => changeOf(was, await this.repo.lockCredentials(userId)));
    if (!change) return null;
    await this.auth.revokeSession(userId, sessionId, 'account_changed');
    await audit(
      this.log,
      { ...ctx, caller: null },
      'session_revoked',
      userId,
      { ...details, session_id: sessionId, reason: change },
      'failure',
    );
    return change;
  }
}
