import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { bearerToken, optionalAuth, requireAuth, type AuthClient } from '@usher/auth-client';
import { AuthenticationError } from '../errors';
import type { Caller, ClientMeta, UsersService } from '../service';
import { toTokenDto, toUserDto } from './encode';
import { IssueTokenBody, RegisterBody, UserId } from './schemas';

/** The caller put on the request by the auth middleware, in domain terms. */
export function callerOf(req: Request): Caller {
  const p = req.principal;
  if (!p) throw new AuthenticationError('missing bearer token');
  return { userId: p.userId, role: p.role, sessionId: p.sessionId, verified: p.verified };
}

export function clientOf(req: Request): ClientMeta {
  return { userAgent: (req.get('user-agent') ?? '').slice(0, 512), ip: req.ip ?? '' };
}

/** Wraps an async handler: express 5 forwards rejections to the error handler. */
type Handler = (req: Request) => Promise<{ status: number; body: unknown; location?: string }>;
const handle =
  (fn: Handler): RequestHandler =>
  async (req, res) => {
    const out = await fn(req);
    if (out.location) res.location(out.location);
    res.status(out.status).json(out.body);
  };

/** Bodies are JSON only: anything else is refused with 415 before it is read. */
const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'unsupported_media_type', message: 'send the body as application/json' });
    return;
  }
  next();
};

/** Thin edge: decode + validate, call the service, encode. */
export function usersRouter(svc: UsersService, auth: AuthClient): Router {
  const router = Router();
  const signedIn = requireAuth(auth);

  router.post(
    '/users',
    requireJson,
    optionalAuth(auth),
    handle(async (req) => {
      const body = RegisterBody.parse(req.body);
      const user = await svc.register(req.principal ? callerOf(req) : null, {
        firstName: body.first_name,
        lastName: body.last_name,
        email: body.email,
        username: body.credentials.username,
        secret: body.credentials.secret,
        role: body.role,
        status: body.status,
        tags: body.tags,
        metadata: body.metadata,
        picture: body.picture,
      });
      return { status: 201, body: toUserDto(user), location: `/users/${user.id}` };
    }),
  );

  router.post(
    '/users/tokens/issue',
    requireJson,
    handle(async (req) => {
      const body = IssueTokenBody.parse(req.body);
      return {
        status: 201,
        body: toTokenDto(await svc.issueToken(body.identity, body.secret, clientOf(req))),
      };
    }),
  );

  router.post(
    '/users/tokens/refresh',
    handle(async (req) => {
      const token = bearerToken(req);
      if (!token) throw new AuthenticationError('missing refresh token: send it as a bearer token');
      return { status: 201, body: toTokenDto(await svc.refreshToken(token, clientOf(req))) };
    }),
  );

  router.get(
    '/users/profile',
    signedIn,
    handle(async (req) => ({ status: 200, body: toUserDto(await svc.viewProfile(callerOf(req))) })),
  );

  router.get(
    '/users/:id',
    signedIn,
    handle(async (req) => {
      const { id } = z.object({ id: UserId }).parse(req.params);
      return { status: 200, body: toUserDto(await svc.view(callerOf(req), id)) };
    }),
  );

  return router;
}
