import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthenticationSetting } from '../domain/settings';
import { signedInCtx, type Authenticator } from './context';
import { handle, requireJson } from './handle';

const AuthenticationBody = z.object({ required: z.boolean() }).strict();

/** GET (admins) and PUT (owners) /settings/authentication: see domain/settings.ts. */
export function settingsRoutes(setting: AuthenticationSetting | undefined, authn: Authenticator): Router {
  const r = Router({ strict: true });
  const present: RequestHandler = (_req, _res, next) => (setting ? next() : next('router'));
  r.get(
    '/settings/authentication',
    present,
    authn.required,
    handle(async (req) => ({ status: 200, body: await setting!.state(signedInCtx(req)) })),
  );
  r.put(
    '/settings/authentication',
    present,
    requireJson,
    authn.required,
    handle(async (req) => {
      const b = AuthenticationBody.parse(req.body);
      return { status: 200, body: await setting!.set(signedInCtx(req), b.required) };
    }),
  );
  return r;
}
