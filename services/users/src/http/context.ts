import type { Request, RequestHandler } from 'express';
import { bearerToken, sendAuthError, type AuthClient } from '@usher/auth-client';
import { AuthenticationError } from '../errors';
import type { Caller, ClientMeta, Ctx } from '../service';

export const AUTH_DISABLED_WARNING =
  '299 usher "authentication is disabled (USHER_REQUIRE_AUTHENTICATION=0): requests act as the owner"';

export interface Authenticator {
  /** Requires a caller: a valid bearer token, or the owner when authentication is switched off. */
  required: RequestHandler;
  /** A caller when a token came with the request; anonymous otherwise. */
  optional: RequestHandler;
}

/**
 * Bearer tokens (access tokens and API keys) are verified by the auth service. With
 * USHER_REQUIRE_AUTHENTICATION=0, requests without a token act as the owner and every response says so.
 */
export function authenticator(
  auth: AuthClient,
  options: { requireAuthentication: boolean; owner: () => Promise<Caller> },
): Authenticator {
  const verify =
    (required: boolean): RequestHandler =>
    async (req, res, next) => {
      const token = bearerToken(req);
      if (!req.headers.authorization) {
        if (!options.requireAuthentication) {
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
      try {
        const p = await auth.authenticate(token);
        res.locals.caller = {
          userId: p.userId,
          role: p.role,
          sessionId: p.sessionId,
          verified: p.verified,
        } satisfies Caller;
      } catch (error) {
        sendAuthError(res, error);
        return;
      }
      next();
    };
  return { required: verify(true), optional: verify(false) };
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
