import { Router, type RequestHandler } from 'express';
import type { UsersService } from '../service';
import { ctxOf, signedInCtx, type Authenticator } from './context';
import { toInvitationDto, toUserDto } from './encode';
import { handle, requireJson } from './handle';
import {
  AcceptInvitationBody,
  IdParam,
  InvitationBody,
  InvitationParams,
  PageParams,
  ResetPasswordBody,
  ResetRequestBody,
  VerifyEmailQuery,
} from './schemas';

/** Answers that carry a secret or act on a mailed token are never cached on the way. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * Email verification, password reset, invitations and temporary passwords. Mount before the
 * account routes: /users/invitations must not be read as /users/{id}.
 */
export function emailRoutes(svc: UsersService, authn: Authenticator): Router {
  const r = Router();

  r.post(
    '/users/send-verification',
    authn.unverified,
    handle(async (req) => {
      await svc.sendVerification(signedInCtx(req));
      // Magistrala's SDK expects 200 and no body.
      return { status: 200 };
    }),
  );

  r.get(
    '/verify-email',
    noStore,
    handle(async (req) => {
      const q = VerifyEmailQuery.parse(req.query);
      await svc.verifyEmail(ctxOf(req), q.token);
      return { status: 200, body: { msg: 'Email verified' } };
    }),
  );

  r.post(
    '/password/reset-request',
    requireJson,
    handle(async (req) => {
      const b = ResetRequestBody.parse(req.body);
      await svc.requestPasswordReset(ctxOf(req), b.email);
      // The same answer whether or not the address has an account.
      return { status: 201, body: { msg: 'Email with reset link is sent' } };
    }),
  );

  r.put(
    '/password/reset',
    requireJson,
    noStore,
    handle(async (req) => {
      const b = ResetPasswordBody.parse(req.body);
      await svc.resetPassword(ctxOf(req), b.token, b.password);
      return { status: 201, body: { msg: 'Password reset: sign in with the new password' } };
    }),
  );

  r.get(
    '/users/invitations',
    authn.required,
    handle(async (req) => {
      const q = PageParams.parse(req.query);
      const page = await svc.listInvitations(signedInCtx(req), { offset: q.offset, limit: q.limit });
      return {
        status: 200,
        body: {
          total: page.total,
          offset: page.offset,
          limit: page.limit,
          invitations: page.items.map(toInvitationDto),
        },
      };
    }),
  );

  r.post(
    '/users/invitations',
    noStore, // the answer may carry the invitation link
    requireJson,
    authn.required,
    handle(async (req) => {
      const b = InvitationBody.parse(req.body);
      const invitation = await svc.createInvitation(signedInCtx(req), b.email, b.role, b.delivery);
      const body = toInvitationDto(invitation);
      return { status: 201, body: invitation.link ? { ...body, link: invitation.link } : body };
    }),
  );

  r.post(
    '/users/invitations/accept',
    requireJson,
    noStore,
    handle(async (req) => {
      const b = AcceptInvitationBody.parse(req.body);
      const user = await svc.acceptInvitation(ctxOf(req), {
        token: b.token,
        firstName: b.first_name,
        lastName: b.last_name,
        username: b.username,
        secret: b.password,
      });
      return { status: 201, body: toUserDto(user), location: `/users/${user.id}` };
    }),
  );

  r.delete(
    '/users/invitations/:id',
    authn.required,
    handle(async (req) => {
      await svc.revokeInvitation(signedInCtx(req), InvitationParams.parse(req.params).id);
      return { status: 204 };
    }),
  );

  r.post(
    '/users/:id/temporary-password',
    authn.required,
    noStore,
    handle(async (req) => {
      const secret = await svc.setTemporaryPassword(signedInCtx(req), IdParam.parse(req.params).id);
      return { status: 200, body: { temporary_password: secret } };
    }),
  );

  return r;
}
