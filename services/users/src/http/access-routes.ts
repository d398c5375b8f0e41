import { Router } from 'express';
import { bearerToken } from '@usher/auth-client';
import { AuthenticationError } from '../errors';
import type { UsersService } from '../service';
import { ctxOf, signedInCtx, type Authenticator } from './context';
import { toAuditDto, toKeyDto, toNewKeyDto, toRefreshTokenDto, toSessionDto, toTokenDto } from './encode';
import { handle, requireJson } from './handle';
import {
  AuditQueryParams,
  CreateKeyBody,
  IdParam,
  IssueTokenBody,
  KeyParams,
  RevokeTokenBody,
  SessionParams,
} from './schemas';

/** Tokens, sessions, API keys and the audit log. */
export function accessRoutes(svc: UsersService, authn: Authenticator): Router {
  const r = Router();

  r.post(
    '/users/tokens/issue',
    requireJson,
    handle(async (req) => {
      const b = IssueTokenBody.parse(req.body);
      return { status: 201, body: toTokenDto(await svc.issueToken(ctxOf(req), b.identity, b.secret)) };
    }),
  );

  r.post(
    '/users/tokens/refresh',
    handle(async (req) => {
      const token = bearerToken(req);
      if (!token) throw new AuthenticationError('missing refresh token: send it as a bearer token');
      return { status: 201, body: toTokenDto(await svc.refreshToken(ctxOf(req), token)) };
    }),
  );

  // Magistrala's `{token_id}` names the session to end (see /users/tokens/refresh-tokens); without
  // a body, the caller's own session ends (sign-out).
  r.post(
    '/users/tokens/revoke',
    authn.anyState,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      const { token_id: tokenId } = RevokeTokenBody.parse(req.body ?? {});
      if (tokenId && tokenId !== ctx.caller!.sessionId)
        await svc.revokeSession(ctx, ctx.caller!.userId, tokenId);
      else await svc.signOut(ctx);
      return { status: 204 };
    }),
  );

  // Magistrala's list of active refresh tokens: the caller's sessions.
  r.get(
    '/users/tokens/refresh-tokens',
    authn.unverified,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      const sessions = await svc.listSessions(ctx, ctx.caller!.userId);
      return { status: 200, body: { refresh_tokens: sessions.map(toRefreshTokenDto) } };
    }),
  );

  r.get(
    '/users/sessions',
    authn.required,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      const sessions = await svc.listSessions(ctx, ctx.caller!.userId);
      return { status: 200, body: { sessions: sessions.map((s) => toSessionDto(s, ctx.caller!.sessionId)) } };
    }),
  );

  r.delete(
    '/users/sessions/:id',
    authn.required,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      await svc.revokeSession(ctx, ctx.caller!.userId, SessionParams.parse(req.params).id);
      return { status: 204 };
    }),
  );

  r.get(
    '/users/keys',
    authn.required,
    handle(async (req) => ({
      status: 200,
      body: { keys: (await svc.listKeys(signedInCtx(req))).map(toKeyDto) },
    })),
  );

  r.post(
    '/users/keys',
    requireJson,
    authn.required,
    handle(async (req) => {
      const b = CreateKeyBody.parse(req.body);
      return { status: 201, body: toNewKeyDto(await svc.createKey(signedInCtx(req), b.name, b.expires_in)) };
    }),
  );

  r.delete(
    '/users/keys/:id',
    authn.required,
    handle(async (req) => {
      await svc.revokeKey(signedInCtx(req), KeyParams.parse(req.params).id);
      return { status: 204 };
    }),
  );

  r.get(
    '/users/:id/sessions',
    authn.required,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      const sessions = await svc.listSessions(ctx, IdParam.parse(req.params).id);
      return { status: 200, body: { sessions: sessions.map((s) => toSessionDto(s, ctx.caller!.sessionId)) } };
    }),
  );

  r.delete(
    '/users/:id/sessions',
    authn.required,
    handle(async (req) => {
      await svc.revokeSessions(signedInCtx(req), IdParam.parse(req.params).id);
      return { status: 204 };
    }),
  );

  r.get(
    '/audit',
    authn.required,
    handle(async (req) => {
      const q = AuditQueryParams.parse(req.query);
      const page = await svc.listAudit(signedInCtx(req), {
        since: q.since,
        until: q.until,
        type: q.type,
        userId: q.user_id,
        limit: q.limit,
        offset: q.offset,
      });
      return {
        status: 200,
        body: {
          total: page.total,
          offset: page.offset,
          limit: page.limit,
          events: page.items.map(toAuditDto),
        },
      };
    }),
  );

  return r;
}
