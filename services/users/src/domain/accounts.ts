import { randomUUID } from 'crypto';
import { roleLevel, type RoleName } from '@usher/contracts';
import { ConflictError, NotFoundError, StatusUnchangedError, ValidationError } from '../errors';
import type { AuditLog, AuthPort, PasswordHasher, UnitOfWork, UsersRepository } from '../ports';
import type {
  AuditType,
  Ctx,
  ListQuery,
  NewUser,
  Page,
  ProfilePatch,
  ReadOnlyEcho,
  SearchPage,
  SearchQuery,
  User,
} from '../service';
import { audit } from './audit';
import type { SecurityNotices } from './notices';

export interface AccountsOptions {
  /** USHER_USERS_PASS_REGEX */
  passRegex: RegExp;
  /** Mails the owner about a changed password or address (left out in unit tests without mail). */
  notices?: SecurityNotices;
}

/** Account lifecycle: create, read, change, disable, delete. No authorization here (middleware/authorization.ts). */
export class Accounts {
  constructor(
    private readonly repo: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthPort,
    private readonly log: AuditLog,
    private readonly uow: UnitOfWork,
    private readonly options: AccountsOptions,
  ) {}

  checkSecret(secret: string, field = 'credentials.secret') {
    // bcrypt reads only the first 72 bytes: a longer secret would silently be cut.
    if (Buffer.byteLength(secret) > 72) throw new ValidationError('must be at most 72 bytes', field);
    if (!this.options.passRegex.test(secret)) {
      throw new ValidationError(`does not meet the password policy ${this.options.passRegex.source}`, field);
    }
  }

  /** `verified`: the address is known to work (an accepted invitation, the owner made at startup). */
  async register(
    ctx: Ctx,
    input: NewUser,
    options: { verified?: boolean; details?: Record<string, unknown> } = {},
  ): Promise<User> {
    this.checkSecret(input.secret);
    const hash = await this.hasher.hash(input.secret);
    const user: User = {
      id: randomUUID(),
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      username: input.username,
      role: input.role,
      status: input.status,
      tags: input.tags,
      metadata: input.metadata,
      privateMetadata: input.privateMetadata ?? {},
      picture: input.picture,
      verifiedAt: options.verified ? new Date() : null,
      createdAt: new Date(),
      updatedAt: null,
      updatedBy: ctx.caller?.userId ?? null,
    };
    return this.uow.run(async () => {
      const created = await this.repo.create(user, hash);
      await audit(this.log, ctx, 'user_created', created.id, {
        role: created.role,
        status: created.status,
        ...options.details,
      });
      return created;
    });
  }

  async view(_ctx: Ctx, id: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user) throw new NotFoundError('user not found');
    return user;
  }

  list(_ctx: Ctx, query: ListQuery): Promise<Page<User>> {
    return this.repo.list(query);
  }

  async search(_ctx: Ctx, query: SearchQuery): Promise<SearchPage> {
    const full = query.scope === 'full';
    return {
      ...(await this.repo.search(query, full ? ['enabled', 'disabled'] : ['enabled'])),
      publicOnly: !full,
    };
  }

  update(ctx: Ctx, id: string, patch: ProfilePatch): Promise<User> {
    const { echoed, ...editable } = patch;
    const fields = (Object.keys(editable) as (keyof typeof editable)[]).filter(
      (k) => editable[k] !== undefined,
    );
    if (fields.length === 0 && !echoed)
      return Promise.reject(
        new ValidationError(
          'nothing to update: send first_name, last_name, metadata, private_metadata, tags or profile_picture',
        ),
      );
    return this.uow.run(async () => {
      const user = await this.load(id);
      if (echoed) refuseReadOnlyChanges(user, echoed);
      if (fields.length === 0) return user;
      return this.save(ctx, user, 'user_updated', (u) => Object.assign(u, pick(editable, fields)), fields);
    });
  }

  /**
   * A new address is not verified: verified_at is cleared unless only the letter case changed, and
   * the old address is told. Links mailed to the old address stop working (they are bound to it:
   * src/domain/recovery.ts).
   */
  async updateEmail(ctx: Ctx, id: string, email: string): Promise<User> {
    const changed = await this.uow.run(async () => {
      const user = await this.load(id);
      const sameAddress = user.email.toLowerCase() === email.toLowerCase();
      if (!sameAddress) await this.options.notices?.emailChanged(user, email);
      return this.save(
        ctx,
        user,
        'email_changed',
        (u) => {
          u.email = email;
          if (!sameAddress) u.verifiedAt = null;
        },
        sameAddress ? ['email'] : ['email', 'verifiedAt'],
      );
    });
    this.options.notices?.wake();
    return changed;
  }

  updateUsername(ctx: Ctx, id: string, username: string): Promise<User> {
    return this.change(ctx, id, 'username_changed', (u) => (u.username = username), ['username']);
  }

  updatePicture(ctx: Ctx, id: string, picture: string): Promise<User> {
    return this.change(ctx, id, 'picture_changed', (u) => (u.picture = picture), ['picture']);
  }

  updateTags(ctx: Ctx, id: string, tags: string[]): Promise<User> {
    return this.change(ctx, id, 'tags_changed', (u) => (u.tags = tags), ['tags']);
  }

  updateRole(ctx: Ctx, id: string, role: RoleName): Promise<User> {
    return this.uow.run(async () => {
      const user = await this.load(id);
      if (user.role === role) return user;
      if (user.role === 'owner') await this.keepAnOwner(user, 'demoted');
      const demoted = roleLevel(role) < roleLevel(user.role);
      const changed = await this.save(ctx, user, 'role_changed', (u) => (u.role = role), ['role']);
      // Tokens carry the role: end them now, inside the transaction, so a failure undoes the change.
      await this.auth.revokeUserSessions(id, { reason: 'role_changed', includeApiKeys: demoted });
      return changed;
    });
  }

  /**
   * Sets a new secret and ends every session. Set by an admin (a recovery), it also ends the API
   * keys: whoever held the account before must keep no way in. The owner is mailed either way.
   */
  async setSecret(ctx: Ctx, id: string, secret: string, by: 'admin' | 'self' = 'admin'): Promise<User> {
    this.checkSecret(secret, 'new_secret');
    const hash = await this.hasher.hash(secret);
    const changed = await this.uow.run(async () => {
      const user = await this.load(id);
      // A secret chosen by someone (the user, or an admin who tells it) is no temporary one.
      await this.repo.updateSecretHash(id, hash, { mustChange: false });
      const stored = await this.save(ctx, user, 'password_changed', () => undefined, [], { by });
      await this.auth.revokeUserSessions(id, { reason: 'password_changed', includeApiKeys: by === 'admin' });
      await this.options.notices?.passwordChanged(user, by);
      return stored;
    });
    this.options.notices?.wake();
    return changed;
  }

  enable(ctx: Ctx, id: string): Promise<User> {
    return this.uow.run(async () => {
      const user = await this.load(id);
      if (user.status === 'enabled') throw new StatusUnchangedError('the user is already enabled');
      return this.save(ctx, user, 'user_enabled', (u) => (u.status = 'enabled'), ['status']);
    });
  }

  disable(ctx: Ctx, id: string): Promise<User> {
    return this.uow.run(async () => {
      const user = await this.load(id);
      if (user.status === 'disabled') throw new StatusUnchangedError('the user is already disabled');
      if (user.role === 'owner') await this.keepAnOwner(user, 'disabled');
      const changed = await this.save(ctx, user, 'user_disabled', (u) => (u.status = 'disabled'), ['status']);
      await this.auth.revokeUserSessions(id, { reason: 'disabled', includeApiKeys: true });
      return changed;
    });
  }

  remove(ctx: Ctx, id: string, opts: { purge?: boolean } = {}): Promise<void> {
    return this.uow.run(async () => {
      // A purge also takes accounts already soft-deleted; a plain delete answers 404 for them.
      const found = opts.purge ? await this.repo.findById(id) : null;
      const user = found ?? (await this.load(id));
      if (user.status !== 'deleted') {
        if (user.role === 'owner' && user.status === 'enabled') await this.keepAnOwner(user, 'deleted');
        await this.save(ctx, user, 'user_deleted', (u) => (u.status = 'deleted'), ['status']);
        await this.auth.revokeUserSessions(id, { reason: 'deleted', includeApiKeys: true });
      }
      if (opts.purge) {
        await this.repo.hardDelete([id]);
        await audit(this.log, ctx, 'user_purged', id, { by: 'request' });
      }
    });
  }

  /** Hard-deletes in small batches; every replica may run it, rows go once. */
  async purgeDeleted(ctx: Ctx, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const purged = await this.uow.run(async () => {
        const ids = await this.repo.deletedBefore(before, 500);
        if (ids.length === 0) return 0;
        const n = await this.repo.hardDelete(ids);
        for (const id of ids) await audit(this.log, ctx, 'user_purged', id);
        return n;
      });
      total += purged;
      if (purged === 0) return total;
    }
  }

  /** Loads a user that is not deleted: changes to a deleted account answer 404 (admins still read it). */
  async load(id: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user || user.status === 'deleted') throw new NotFoundError('user not found');
    return user;
  }

  private change(
    ctx: Ctx,
    id: string,
    type: AuditType,
    apply: (u: User) => void,
    fields: (keyof User)[],
  ): Promise<User> {
    return this.uow.run(async () => this.save(ctx, await this.load(id), type, apply, fields));
  }

  /** Applies a change to a loaded user, stores it and audits it (inside the caller's unit of work). */
  async save(
    ctx: Ctx,
    user: User,
    type: AuditType,
    apply: (u: User) => void,
    fields: (keyof User)[],
    details?: Record<string, unknown>,
  ): Promise<User> {
    const next: User = { ...user, updatedAt: new Date(), updatedBy: ctx.caller?.userId ?? null };
    apply(next);
    const stored = await this.repo.update(next, [...fields, 'updatedAt', 'updatedBy']);
    await audit(this.log, ctx, type, user.id, details ?? changes(user, next, fields));
    return stored;
  }

  /** The last enabled owner cannot be demoted, disabled or deleted (rows locked against a race). */
  private async keepAnOwner(user: User, what: string): Promise<void> {
    const owners = await this.repo.lockEnabledOwners();
    if (owners.filter((id) => id !== user.id).length === 0) {
      throw new ConflictError(`the last enabled owner cannot be ${what}`);
    }
  }
}

/** The stored value of each read-only field, as the API writes it. */
const READ_ONLY: Record<keyof ReadOnlyEcho, (u: User) => string> = {
  id: (u) => u.id,
  email: (u) => u.email.toLowerCase(),
  'credentials.username': (u) => u.username,
  role: (u) => u.role,
  status: (u) => u.status,
  created_at: (u) => u.createdAt.toISOString(),
  updated_at: (u) => u.updatedAt?.toISOString() ?? '',
};

/** A read-only field sent back unchanged is fine; one that would change is a 400 naming it. */
function refuseReadOnlyChanges(user: User, echoed: ReadOnlyEcho): void {
  for (const [field, value] of Object.entries(echoed) as [keyof ReadOnlyEcho, string | undefined][]) {
    if (value === undefined) continue;
    const sent = field === 'email' ? value.toLowerCase() : value;
    if (sent !== READ_ONLY[field](user)) {
      throw new ValidationError('is read-only here: leave it out, empty or unchanged', field);
    }
  }
}

const pick = <T extends object>(o: T, keys: (keyof T)[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Partial<T>;

/** Field-level old/new pairs for the audit log (never secrets: those fields are not in User). */
function changes(before: User, after: User, fields: (keyof User)[]): Record<string, unknown> {
  // Field names as the API and events spell them (first_name, not firstName).
  const name = (f: string) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return Object.fromEntries(fields.map((f) => [name(f), { old: before[f], new: after[f] }]));
}
