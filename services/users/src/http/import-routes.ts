import { Router } from 'express';
import { z } from 'zod';
import { IMPORT_BATCH_MAX, type UserImporter } from '../domain/importer';
import { signedInCtx, type Authenticator } from './context';
import { handle, requireJson } from './handle';

const ImportBody = z
  .object({
    users: z.array(z.unknown()).min(1).max(IMPORT_BATCH_MAX),
    dry_run: z.boolean().optional(),
  })
  .strict();

/** POST /users/import: bulk import (owners), see domain/importer.ts. Unknown (404) without an importer. */
export function importRoutes(importer: UserImporter | undefined, authn: Authenticator): Router {
  const r = Router({ strict: true });
  r.post(
    '/users/import',
    (_req, _res, next) => (importer ? next() : next('router')),
    requireJson,
    authn.required,
    handle(async (req) => {
      const b = ImportBody.parse(req.body);
      return { status: 200, body: await importer!.import(signedInCtx(req), b.users, b.dry_run ?? false) };
    }),
  );
  return r;
}
