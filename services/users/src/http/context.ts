import type { Request, RequestHandler } from 'express';
import { bearerToken, sendAuthError, type AuthClient } from '@usher/auth-client';
import { AuthenticationError, EmailNotVerifiedError, PasswordChangeRequiredError } from '../errors';
import type { AccessState } from '../ports';
import type { Caller, ClientMeta, Ctx } from '../service';

export const AUTH_DISABLED_WARNING =
  '299 usher "authentication is disabled (USHER_REQUIRE_AUTHENTICATION=0): requests act as the owner"';

export interface Authenticator {
  /** Requires a caller: a valid bearer token, or the owner when authentication is switched off. */
  required: RequestHandler;
  /** A caller when a token came with the request; anonymous otherwise. */
  optional: RequestHandler;
  /** Like `required`, and open to an account whose email is not verified yet: profile and verification. */
  unverified: RequestHandler;
  /** Like `required`, and open to a session begun with a temporary password: changing it, signing out. */
  anyState: RequestHandler;
}

/** What a route admits beyond a valid token: see Authenticator. */
type Level = 'full' | 'unverified' | 'any';

export interface AccountGate {
  /** The account's verification and temporary-password state, read fresh on every request. */
  accessState(userId: string): Promise<AccessState | null>;
  /** USHER_USERS_ALLOW_UNVERIFIED_USER */
  allowUnverified: boolean;
}

/**
 * The account-state rules at the edge, for the caller's own account: a session begun with a
 * temporary password may only change it (403 password_change_required); with unverified users not
 * allowed, an unverified account only reaches its profile and verification (403 email_not_verified).
 * The state comes from the database, not the token, so it takes effect at once either way.
 */
async function admit(
  caller: Caller,
  level: Level,
  gate: AccountGate | undefined,
): Promise<Error | undefined> {
  // API keys were made with the account's password: a temporary password does not concern them.
  if (!gate || (!caller.sessionId && gate.allowUnverified)) return undefined;
  const state = await gate.accessState(caller.userId);
  if (!state) return undefined; // a deleted account: the service answers for it
  caller.verified = state.verified;
  if (level === 'any') return undefined;
  if (state.mustChangeSecret && caller.sessionId) return new PasswordChangeRequiredError();
  if (level === 'unverified' || gate.allowUnverified || state.verified) return undefined;
  return new EmailNotVerifiedError();
}

/**
 * Bearer tokens (access tokens and API keys) are verified by the auth service. With
 * USHER_REQUIRE_AUTHENTICATION=0, requests without a token act as the owner and every response says so.
 */
export function authenticator(
  auth: AuthClient,
  options: {
    /** A constant, or read per request (the runtime setting, see domain/settings.ts). */
    requireAuthentication: boolean | (() => Promise<boolean>);
    owner: () => Promise<Caller>;
    gate?: AccountGate;
  },
): Authenticator {
  const verify =
    (required: boolean, level: Level = 'full'): RequestHandler =>
    async (req, res, next) => {
      const token = bearerToken(req);
      if (!req.headers.authorization) {
        const requireAuthentication =
          typeof options.requireAuthentication === 'function'
            ? await options.requireAuthentication()
            : options.requireAuthentication;
        if (!requireAuthentication) {
          res.locals.caller = await options.owner();
          return next();
        }
        if (!required) return next();
        res.status(401).json({ error: 'unauthenticated', message: 'missing bearer token' });
        return;
      }
      if (!token) {
        res.status(401).json({ error: 'unauthenticated', message: 'expected Authorization: Bearer <token>' });
        return;
      }
      let caller: Caller;
      try {
        const p = await auth.authenticate(token);
        caller = { userId: p.userId, role: p.role, sessionId: p.sessionId, verified: p.verified };
      } catch (error) {
        sendAuthError(res, error);
        return;
      }
      res.locals.caller = caller;
      try {
        const refused = await admit(caller, level, options.gate);
        next(refused);
      } catch (error) {
        next(error);
      }
    };
  return {
    required: verify(true),
    optional: verify(false),
    unverified: verify(true, 'unverified'),
    anyState: verify(true, 'any'),
  };
}

export function clientOf(req: Request): ClientMeta {
  return { userAgent: (req.get('user-agent') ?? '').slice(0, 512), ip: req.ip ?? '' };
}

/** The domain context of a request: its caller (if any) and where it came from. */
export function ctxOf(req: Request): Ctx {
  const res = req.res!;
  return { caller: (res.locals.caller as Caller | undefined) ?? null, client: clientOf(req) };
}

/** Like ctxOf, for routes behind `required`: a caller is guaranteed. */
export function signedInCtx(req: Request): Ctx {
  const ctx = ctxOf(req);
  if (!ctx.caller) throw new AuthenticationError('missing bearer token');
  return ctx;
}
