import { ReauthenticationRequiredError } from '../errors';
import type { AuthPort } from '../ports';
import type { Ctx } from '../service';
import type { Access } from './access';

/** How recent a sign-in proves the owner is present (the session's start, not its last refresh). */
export const RECENT_SIGN_IN_MS = 5 * 60_000;

/**
 * Proof that the account's owner is at the keyboard, for a self-service change of how the account
 * is reached (its email): the current password, or a session signed in within the last 5 minutes.
 * A stolen refresh token or a long-lived session alone cannot move the account to another address.
 */
export class Presence {
  constructor(
    private readonly auth: AuthPort,
    private readonly access: Pick<Access, 'verifySecret'>,
    private readonly now: () => number = Date.now,
  ) {}

  async prove(ctx: Ctx, secret: string | undefined): Promise<void> {
    const caller = ctx.caller!;
    // A wrong secret counts like a failed sign-in (and locks the same way).
    if (secret !== undefined) return this.access.verifySecret(caller.userId, secret);
    if (caller.sessionId) {
      // A session keeps its id across refreshes: its creation is the sign-in.
      const sessions = await this.auth.listSessions(caller.userId);
      const session = sessions.find((s) => s.id === caller.sessionId);
      if (session && this.now() - session.createdAt.getTime() <= RECENT_SIGN_IN_MS) return;
    }
    throw new ReauthenticationRequiredError(
      'changing your email needs a sign-in within the last 5 minutes, or your current password in "secret"',
    );
  }
}
