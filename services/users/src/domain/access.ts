import {
  AuthenticationError,
  invalidCredentials,
  LockedError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type {
  AuditLog,
  AuthPort,
  LockoutStore,
  PasswordHasher,
  RefreshFailure,
  UnitOfWork,
  UsersRepository,
} from '../ports';
import type {
  ApiKeyInfo,
  AuditEntry,
  AuditQuery,
  Ctx,
  NewApiKey,
  Page,
  SessionInfo,
  TokenPair,
} from '../service';
import { audit } from './audit';
import { SessionCheck } from './session-check';

export interface AccessOptions {
  /** A hash of a random secret made with the live settings: unknown identities are compared against it. */
  dummyHash: string;
  lockout: { threshold: number; windowMs: number; durationMs: number };
}

/** Lockout counters are keyed by account when the identity is known, else by the identity text. */
export const lockKey = (userId: string | undefined, identity: string) =>
  userId ? `user:${userId}` : `identity:${identity.trim().toLowerCase()}`;

/** Ways in and out: sign-in with lockout, refresh, sign-out, sessions, API keys, the audit log. */
export class Access {
  constructor(
    private readonly repo: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthPort,
    private readonly log: AuditLog,
    private readonly lockout: LockoutStore,
    private readonly uow: UnitOfWork,
    private readonly options: AccessOptions,
  ) {
    this.check = new SessionCheck(repo, auth, log, uow);
  }

  private readonly check: SessionCheck;

  async issueToken(ctx: Ctx, identity: string, secret: string): Promise<TokenPair> {
    const found = await this.repo.findCredentials(identity);
    const key = lockKey(found?.user.id, identity);
    const targetId = found?.user.id ?? null;
    // A locked key answers 423 even to the right secret; unknown identities lock the same way.
    const lockedUntil = await this.lockout.lockedUntil(key);
    if (lockedUntil) {
      await audit(
        this.log,
        ctx,
        'signin_failed',
        targetId,
        { identity: identity.trim().toLowerCase(), reason: 'locked' },
        'failure',
      );
      throw lockedError(lockedUntil);
    }
    // Unknown identities still pay for one bcrypt comparison so timing does not tell them apart.
    const ok = await this.hasher.compare(secret, found?.secretHash ?? this.options.dummyHash);
    if (!found || !ok || found.user.status !== 'enabled') {
      const state = await this.lockout.recordFailure(key, this.options.lockout);
      await audit(
        this.log,
        ctx,
        'signin_failed',
        targetId,
        { identity: identity.trim().toLowerCase(), reason: 'invalid_credentials' },
        'failure',
      );
      if (state.lockedUntil && state.failures === this.options.lockout.threshold) {
        await audit(this.log, ctx, 'locked', targetId, {
          identity: identity.trim().toLowerCase(),
          until: state.lockedUntil.toISOString(),
        });
      }
      throw invalidCredentials();
    }
    await this.lockout.clear(key);
    const secretHash = await this.rehash(found.user.id, found.secretHash, secret);
    const pair = await this.auth.issue(found.user, ctx.client, 'password');
    // A disable, demotion or new password that landed during the compare: the new session goes too.
    if (await this.check.afterSignIn(ctx, { user: found.user, secretHash }, pair.sessionId, 'password'))
      throw invalidCredentials();
    await audit(this.log, { ...ctx, caller: ctx.caller ?? null }, 'signin_succeeded', found.user.id, {
      session_id: pair.sessionId,
      method: 'password',
    });
    return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessType: pair.accessType };
  }

  async refreshToken(ctx: Ctx, refreshToken: string): Promise<TokenPair> {
    try {
      const pair = await this.auth.refresh(refreshToken, ctx.client);
      // The account as it is now, not as it was at sign-in: disabled or changed gets no new token.
      await this.check.afterRefresh(ctx, pair);
      await audit(this.log, ctx, 'token_refreshed', pair.userId || null);
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessType: pair.accessType };
    } catch (error) {
      const failure = (error as { refreshFailure?: RefreshFailure }).refreshFailure;
      if (failure?.reason === 'refresh_token_reuse') {
        await audit(
          this.log,
          ctx,
          'refresh_reuse_detected',
          failure.userId ?? null,
          { session_id: failure.sessionId },
          'failure',
        );
      }
      throw error;
    }
  }

  /**
   * Redoes a hash made with old settings, only if it is still the stored one (compare-and-set: a
   * reset that landed during the compare must not be overwritten by the old password). Returns the
   * hash the session is issued on.
   */
  private async rehash(userId: string, compared: string, secret: string): Promise<string> {
    if (!this.hasher.needsRehash(compared)) return compared;
    const next = await this.hasher.hash(secret);
    return (await this.repo.replaceSecretHash(userId, compared, next)) ? next : compared;
  }

  async signOut(ctx: Ctx): Promise<void> {
    const caller = ctx.caller;
    if (!caller) throw new AuthenticationError('missing bearer token');
    if (!caller.sessionId)
      throw new ValidationError('an API key has no session to sign out of: revoke the key instead');
    await this.auth.revokeSession(caller.userId, caller.sessionId, 'signed_out');
    await audit(this.log, ctx, 'signed_out', caller.userId, { session_id: caller.sessionId });
  }

  async unlock(ctx: Ctx, id: string): Promise<void> {
    await this.lockout.clear(lockKey(id, ''));
    await audit(this.log, ctx, 'unlocked', id);
  }

  listSessions(_ctx: Ctx, userId: string): Promise<SessionInfo[]> {
    return this.auth.listSessions(userId);
  }

  async revokeSession(ctx: Ctx, userId: string, sessionId: string): Promise<void> {
    await this.auth.revokeSession(userId, sessionId, 'revoked');
    await audit(this.log, ctx, 'session_revoked', userId, { session_id: sessionId });
  }

  async revokeSessions(ctx: Ctx, userId: string): Promise<number> {
    return this.uow.run(async () => {
      const n = await this.auth.revokeUserSessions(userId, { reason: 'revoked', includeApiKeys: false });
      await audit(this.log, ctx, 'sessions_revoked', userId, { count: n });
      return n;
    });
  }

  /** A key carries its owner's role at most: the role the account has now, read from the account. */
  async createKey(ctx: Ctx, name: string, expiresInSeconds: number): Promise<NewApiKey> {
    const caller = ctx.caller!;
    const owner = await this.repo.findById(caller.userId);
    if (!owner || owner.status !== 'enabled') throw new NotFoundError('user not found');
    const key = await this.auth.createApiKey(
      caller.userId,
      owner.role,
      owner.verifiedAt !== null,
      name,
      expiresInSeconds,
    );
    await audit(this.log, ctx, 'key_created', caller.userId, {
      key_id: key.id,
      name: key.name,
      role: key.role,
    });
    return key;
  }

  listKeys(ctx: Ctx): Promise<ApiKeyInfo[]> {
    return this.auth.listApiKeys(ctx.caller!.userId);
  }

  async revokeKey(ctx: Ctx, id: string): Promise<void> {
    const caller = ctx.caller!;
    await this.auth.revokeApiKey(caller.userId, id);
    await audit(this.log, ctx, 'key_revoked', caller.userId, { key_id: id });
  }

  /** For a change of one's own secret: the old one must match (401 otherwise, counted like a failed sign-in). */
  async verifySecret(userId: string, secret: string): Promise<void> {
    const hash = await this.repo.secretHashOf(userId);
    if (!hash || !(await this.hasher.compare(secret, hash))) {
      const state = await this.lockout.recordFailure(lockKey(userId, ''), this.options.lockout);
      if (state.lockedUntil) throw lockedError(state.lockedUntil);
      throw new AuthenticationError('old_secret does not match');
    }
  }

  listAudit(_ctx: Ctx, query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.log.list(query);
  }
}

function lockedError(until: Date): LockedError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new LockedError(`account locked after too many failed sign-ins: retry in ${seconds} s`, seconds);
}
