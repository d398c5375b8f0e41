import { Router } from 'express';
import type { UsersService } from '../service';
import { ctxOf, signedInCtx, type Authenticator } from './context';
import { toPublicUserDto, toUserDto, toUsersPage } from './encode';
import { seesAllOf } from '../middleware/authorization';
import { handle, requireJson } from './handle';
import { compactEcho, refuseOnCreate } from './magistrala';
import {
  ChangeSecretBody,
  DeleteQuery,
  EmailBody,
  IdParam,
  ListQueryParams,
  PictureBody,
  RegisterBody,
  RoleBody,
  SearchQueryParams,
  SetSecretBody,
  TagsBody,
  UpdateBody,
  UsernameBody,
} from './schemas';

/** Accounts: the Magistrala users paths. Thin edge: decode + validate, call the service, encode. */
export function accountRoutes(svc: UsersService, authn: Authenticator): Router {
  const r = Router();
  const ok = (body: object) => ({ status: 200, body });

  r.post(
    '/users',
    requireJson,
    authn.optional,
    handle(async (req) => {
      const b = RegisterBody.parse(req.body);
      refuseOnCreate({ id: b.id, created_at: b.created_at, updated_at: b.updated_at });
      const user = await svc.register(ctxOf(req), {
        firstName: b.first_name,
        lastName: b.last_name,
        email: b.email,
        username: b.credentials.username,
        secret: b.credentials.secret,
        role: b.role,
        status: b.status,
        tags: b.tags,
        metadata: b.metadata,
        privateMetadata: b.private_metadata,
        picture: b.profile_picture ?? b.picture ?? '',
      });
      return { status: 201, body: toUserDto(user), location: `/users/${user.id}` };
    }),
  );

  r.get(
    '/users',
    authn.required,
    handle(async (req) => {
      const q = ListQueryParams.parse(req.query);
      const page = await svc.list(signedInCtx(req), {
        offset: q.offset,
        limit: q.limit,
        status: q.status,
        email: q.email,
        username: q.username,
        firstName: q.first_name,
        lastName: q.last_name,
        id: q.id,
        tags: q.tags?.tags,
        tagsMatch: q.tags?.match,
        metadata: q.metadata,
        role: q.role,
        order: q.order,
        dir: q.dir,
        createdFrom: q.created_from,
        createdTo: q.created_to,
        onlyTotal: q.only_total,
      });
      if (q.only_total) return ok({ total: page.total, offset: page.offset, limit: page.limit });
      return ok(toUsersPage(page));
    }),
  );

  r.get(
    '/users/search',
    authn.required,
    handle(async (req) => {
      const q = SearchQueryParams.parse(req.query);
      const page = await svc.search(signedInCtx(req), {
        offset: q.offset,
        limit: q.limit,
        id: q.id,
        email: q.email,
        username: q.username,
        firstName: q.first_name,
        lastName: q.last_name,
        order: q.order,
        dir: q.dir,
      });
      return ok(toUsersPage(page, page.publicOnly ? toPublicUserDto : toUserDto));
    }),
  );

  r.get(
    '/users/profile',
    authn.unverified,
    handle(async (req) => ok(toUserDto(await svc.viewProfile(signedInCtx(req))))),
  );

  r.patch(
    '/users/secret',
    requireJson,
    authn.anyState,
    handle(async (req) => {
      const b = ChangeSecretBody.parse(req.body);
      return ok(toUserDto(await svc.changeSecret(signedInCtx(req), b.old_secret, b.new_secret)));
    }),
  );

  r.get(
    '/users/:id',
    authn.required,
    handle(async (req) => {
      const ctx = signedInCtx(req);
      const { id } = IdParam.parse(req.params);
      const user = await svc.view(ctx, id);
      // Others see the public fields only (authorization blanks the rest as well).
      return ok(seesAllOf(ctx.caller!, id) ? toUserDto(user) : toPublicUserDto(user));
    }),
  );

  r.patch(
    '/users/:id',
    requireJson,
    authn.required,
    handle(async (req) => {
      const { id } = IdParam.parse(req.params);
      const b = UpdateBody.parse(req.body);
      const user = await svc.update(signedInCtx(req), id, {
        firstName: b.first_name,
        lastName: b.last_name,
        metadata: b.metadata,
        privateMetadata: b.private_metadata,
        tags: b.tags,
        picture: b.profile_picture ?? b.picture,
        echoed: compactEcho({
          id: b.id,
          email: b.email,
          'credentials.username': b.credentials?.username,
          role: b.role || undefined,
          status: b.status || undefined,
          created_at: b.created_at,
          updated_at: b.updated_at,
        }),
      });
      return ok(toUserDto(user));
    }),
  );

  // PATCH /users/{id}/<field>: one field each, as in the seed.
  const field = <T>(
    path: string,
    parse: (body: unknown) => T,
    call: (ctx: ReturnType<typeof signedInCtx>, id: string, v: T) => Promise<object>,
  ) =>
    r.patch(
      `/users/:id/${path}`,
      requireJson,
      authn.required,
      handle(async (req) => {
        const { id } = IdParam.parse(req.params);
        const value = parse(req.body);
        return ok(await call(signedInCtx(req), id, value));
      }),
    );
  field(
    'email',
    (b) => EmailBody.parse(b),
    async (c, id, v) => toUserDto(await svc.updateEmail(c, id, v.email, v.secret)),
  );
  field(
    'username',
    (b) => UsernameBody.parse(b).username,
    async (c, id, v) => toUserDto(await svc.updateUsername(c, id, v)),
  );
  field(
    'picture',
    (b) => PictureBody.parse(b),
    async (c, id, v) => toUserDto(await svc.updatePicture(c, id, v)),
  );
  field(
    'tags',
    (b) => TagsBody.parse(b).tags,
    async (c, id, v) => toUserDto(await svc.updateTags(c, id, v)),
  );
  field(
    'role',
    (b) => RoleBody.parse(b).role,
    async (c, id, v) => toUserDto(await svc.updateRole(c, id, v)),
  );
  field(
    'secret',
    (b) => SetSecretBody.parse(b).new_secret,
    async (c, id, v) => toUserDto(await svc.setSecret(c, id, v)),
  );

  const action = (
    path: string,
    call: (ctx: ReturnType<typeof signedInCtx>, id: string) => Promise<object | void>,
  ) =>
    r.post(
      `/users/:id/${path}`,
      authn.required,
      handle(async (req) => {
        const result = await call(signedInCtx(req), IdParam.parse(req.params).id);
        return result ? ok(result) : { status: 204 };
      }),
    );
  action('enable', async (c, id) => toUserDto(await svc.enable(c, id)));
  action('disable', async (c, id) => toUserDto(await svc.disable(c, id)));
  action('unlock', (c, id) => svc.unlock(c, id));

  r.delete(
    '/users/:id',
    authn.required,
    handle(async (req) => {
      const { purge } = DeleteQuery.parse(req.query);
      await svc.remove(signedInCtx(req), IdParam.parse(req.params).id, { purge });
      return { status: 204 };
    }),
  );

  return r;
}
