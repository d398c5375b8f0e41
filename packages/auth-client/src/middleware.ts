import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RoleName } from '@usher/contracts';
import { AuthClientError, type AuthClient, type Principal } from './client';
import { createVerifier, type Verifier, type VerifierOptions } from './verifier';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireAuth / optionalAuth when a valid bearer token came with the request. */
      principal?: Principal;
      /** The raw bearer token, for calls made on the caller's behalf. */
      bearerToken?: string;
    }
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const STATUS: Record<AuthClientError['kind'], number> = {
  invalid: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 401,
  limit_exceeded: 503, // not an answer of Authenticate/Authorize
  unavailable: 503,
  internal: 503,
};

/** Answers a failed authentication in the `{error, message}` shape of the Usher APIs. */
export function sendAuthError(res: Response, error: unknown): void {
  if (error instanceof AuthClientError) {
    const status = STATUS[error.kind];
    const body =
      status === 503
        ? { error: 'auth_unavailable', message: 'authentication service is unavailable, try again later' }
        : status === 403
          ? { error: 'forbidden', message: 'not allowed' }
          : { error: 'unauthenticated', message: error.message || 'invalid or expired token' };
    if (status === 503) res.setHeader('Retry-After', '1');
    res.status(status).json(body);
    return;
  }
  res.setHeader('Retry-After', '1');
  res
    .status(503)
    .json({ error: 'auth_unavailable', message: 'authentication service is unavailable, try again later' });
}

export interface RequireAuthOptions {
  /** Lowest role allowed through (default: any signed-in user). */
  minRole?: RoleName;
  /**
   * With an AuthClient: verify access tokens in-process (default true) through one shared
   * createVerifier() per client, or ask auth for every request (false).
   */
  local?: boolean | VerifierOptions;
}

type Checker = Pick<AuthClient, 'authenticate' | 'authorize'>;
const verifiers = new WeakMap<AuthClient, Verifier>();

/** The shared verifier of a client (created on first use), or the client itself. */
function checkerFor(source: AuthClient | Verifier, local: RequireAuthOptions['local']): Checker {
  if (!('watchRevocations' in source) || local === false) return source;
  let verifier = verifiers.get(source);
  if (!verifier) {
    verifier = createVerifier(source, typeof local === 'object' ? local : {});
    verifiers.set(source, verifier);
  }
  return verifier;
}

/**
 * Express middleware for any HTTP service: verifies the bearer token (in-process by default, see
 * createVerifier) and puts the principal on `req.principal`. 401 without a valid token, 403 below
 * `minRole`, 503 with Retry-After when it cannot be vouched for (auth unreachable, stream stale).
 */
export function requireAuth(source: AuthClient | Verifier, options: RequireAuthOptions = {}): RequestHandler {
  const client = checkerFor(source, options.local);
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) {
      res.status(401).json({ error: 'unauthenticated', message: 'missing bearer token' });
      return;
    }
    try {
      req.principal = options.minRole
        ? await client.authorize(token, options.minRole)
        : await client.authenticate(token);
      req.bearerToken = token;
    } catch (error) {
      sendAuthError(res, error);
      return;
    }
    next();
  };
}

/** Like requireAuth, but lets requests without an Authorization header through unauthenticated. */
export function optionalAuth(
  source: AuthClient | Verifier,
  options: RequireAuthOptions = {},
): RequestHandler {
  const required = requireAuth(source, options);
  return (req, res, next) => (req.headers.authorization ? required(req, res, next) : next());
}
