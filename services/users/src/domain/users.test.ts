import type { RoleName } from '@usher/contracts';
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  LockedError,
  NotFoundError,
  StatusUnchangedError,
  ValidationError,
} from '../errors';
import { AuthorizedUsers, canAssign, manages } from '../middleware/authorization';
import type {
  AuditLog,
  AuditRecord,
  AuthPort,
  EmailTokenStore,
  InvitationsRepository,
  LockoutStore,
  LockState,
  MailQueue,
  MailTemplates,
  PasswordHasher,
  UsersRepository,
} from '../ports';
import type { Caller, Ctx, NewUser, User } from '../service';
import { ensureOwner } from './owner';
import { Users } from './users';

// In-memory fakes: the domain and authorization rules without PostgreSQL or the auth service
// (test/ covers those for real).
class MemoryRepo implements Partial<UsersRepository> {
  users = new Map<string, { user: User; hash: string }>();
  async create(user: User, hash: string) {
    for (const { user: u } of this.users.values()) {
      if (u.email.toLowerCase() === user.email.toLowerCase()) throw new ConflictError('email already taken');
      if (u.username.toLowerCase() === user.username.toLowerCase())
        throw new ConflictError('username already taken');
    }
    this.users.set(user.id, { user, hash });
    return user;
  }
  async findById(id: string) {
    return this.users.get(id)?.user ?? null;
  }
  async findCredentials(identity: string) {
    const i = identity.toLowerCase();
    for (const { user, hash } of this.users.values()) {
      if (user.email.toLowerCase() === i || user.username.toLowerCase() === i)
        return { user, secretHash: hash };
    }
    return null;
  }
  async lockCredentials(id: string) {
    const found = this.users.get(id);
    return found ? { user: found.user, secretHash: found.hash } : null;
  }
  async replaceSecretHash(id: string, expected: string, hash: string) {
    const found = this.users.get(id);
    if (found?.hash !== expected) return false;
    found.hash = hash;
    return true;
  }
  async secretHashOf(id: string) {
    return this.users.get(id)?.hash ?? null;
  }
  async updateSecretHash(id: string, hash: string) {
    this.users.get(id)!.hash = hash;
  }
  async update(user: User) {
    this.users.get(user.id)!.user = user;
    return user;
  }
  async countByRole(role: RoleName) {
    return [...this.users.values()].filter((u) => u.user.role === role).length;
  }
  async lockEnabledOwners() {
    return [...this.users.values()]
      .filter((u) => u.user.role === 'owner' && u.user.status === 'enabled')
      .map((u) => u.user.id);
  }
}

/** Reversible "hash" that records what it was asked to compare. */
class FakeHasher implements PasswordHasher {
  compared: string[] = [];
  async hash(secret: string) {
    return `v2:${secret}`;
  }
  async compare(secret: string, hash: string) {
    this.compared.push(hash);
    return hash.slice(hash.indexOf(':') + 1) === secret;
  }
  needsRehash(hash: string) {
    return !hash.startsWith('v2:');
  }
}

class FakeAuth implements Partial<AuthPort> {
  issued: string[] = [];
  revoked: { userId: string; includeApiKeys: boolean }[] = [];
  async issue(user: User) {
    this.issued.push(user.id);
    return {
      accessToken: `a-${user.id}`,
      refreshToken: `r-${user.id}`,
      accessType: 'Bearer',
      sessionId: 's',
    };
  }
  async revokeSession() {}
  async revokeUserSessions(userId: string, opts: { includeApiKeys: boolean }) {
    this.revoked.push({ userId, includeApiKeys: opts.includeApiKeys });
    return 1;
  }
}

class MemoryAudit implements Partial<AuditLog> {
  records: AuditRecord[] = [];
  async append(r: AuditRecord) {
    this.records.push(r);
  }
}

class MemoryLockout implements LockoutStore {
  state = new Map<string, LockState>();
  async lockedUntil(key: string) {
    const s = this.state.get(key);
    return s?.lockedUntil && s.lockedUntil > new Date() ? s.lockedUntil : null;
  }
  async recordFailure(key: string, policy: { threshold: number; durationMs: number }) {
    const failures = (this.state.get(key)?.failures ?? 0) + 1;
    const next = {
      failures,
      lockedUntil: failures >= policy.threshold ? new Date(Date.now() + policy.durationMs) : null,
    };
    this.state.set(key, next);
    return next;
  }
  async clear(key: string) {
    this.state.delete(key);
  }
}

const client = { userAgent: 'jest', ip: '127.0.0.1' };
const anon: Ctx = { caller: null, client };
const as = (role: RoleName, userId = 'c0ffee00-0000-4000-8000-000000000000'): Ctx => ({
  caller: { userId, role, sessionId: 's', verified: true } satisfies Caller,
  client,
});
const newUser = (over: Partial<NewUser> = {}): NewUser => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  username: 'ada',
  secret: 'correct horse',
  role: 'viewer',
  status: 'enabled',
  tags: [],
  metadata: {},
  picture: '',
  ...over,
});

function setup(allowSelfRegister = true) {
  const repo = new MemoryRepo();
  const hasher = new FakeHasher();
  const auth = new FakeAuth();
  const audit = new MemoryAudit();
  const lockout = new MemoryLockout();
  const inner = new Users(
    {
      repo: repo as unknown as UsersRepository,
      hasher,
      auth: auth as unknown as AuthPort,
      audit: audit as unknown as AuditLog,
      lockout,
      uow: { run: (work) => work() },
      // The email flows run against PostgreSQL and a real SMTP server in test/.
      emailTokens: {} as EmailTokenStore,
      invitations: {} as InvitationsRepository,
      mailQueue: { enqueue: async () => undefined, wake: () => undefined } as MailQueue,
      mailTemplates: {} as MailTemplates,
    },
    {
      passRegex: /^.{8,}$/,
      dummyHash: 'v2:dummy-never-matches',
      lockout: { threshold: 3, windowMs: 60_000, durationMs: 60_000 },
      links: {
        passwordReset: { urlPrefix: 'http://localhost/password/reset', ttlMs: 300_000 },
        verification: { urlPrefix: 'http://localhost/verify-email', ttlMs: 86_400_000 },
        invitation: { urlPrefix: 'http://localhost/invitations/accept', ttlMs: 259_200_000 },
      },
    },
  );
  const svc = new AuthorizedUsers(
    inner,
    repo as unknown as UsersRepository,
    { allowSelfRegister },
    {
      findPending: async () => null,
    },
  );
  return { repo, hasher, auth, audit, lockout, svc };
}

describe('roles', () => {
  it('admins manage viewers and editors; owners manage everyone', () => {
    expect(manages('admin', 'editor')).toBe(true);
    expect(manages('admin', 'admin')).toBe(false);
    expect(manages('admin', 'owner')).toBe(false);
    expect(manages('owner', 'owner')).toBe(true);
    expect(manages('editor', 'viewer')).toBe(false);
    expect(canAssign('admin', 'editor')).toBe(true);
    expect(canAssign('admin', 'admin')).toBe(false);
    expect(canAssign('owner', 'owner')).toBe(true);
  });
});

describe('register', () => {
  it('stores a hash, never the secret, and audits the creation', async () => {
    const { svc, repo, audit } = setup();
    const user = await svc.register(anon, newUser());
    expect(JSON.stringify(user)).not.toContain('correct horse');
    expect(repo.users.get(user.id)!.hash).toBe('v2:correct horse');
    expect(audit.records).toEqual([
      expect.objectContaining({ type: 'user_created', targetId: user.id, outcome: 'success' }),
    ]);
    expect(JSON.stringify(audit.records)).not.toContain('correct horse');
  });

  it('refuses a secret that breaks the password policy, naming the field', async () => {
    const { svc } = setup();
    await expect(svc.register(anon, newUser({ secret: 'short' }))).rejects.toThrow(ValidationError);
    await expect(svc.register(anon, newUser({ secret: 'short' }))).rejects.toThrow(/credentials\.secret/);
    await expect(svc.register(anon, newUser({ secret: 'x'.repeat(73) }))).rejects.toThrow(/72 bytes/);
  });

  it('makes every self-registered user an enabled viewer; admins give viewer/editor; owners any role', async () => {
    const { svc } = setup();
    expect(await svc.register(anon, newUser({ role: 'owner', status: 'disabled' }))).toMatchObject({
      role: 'viewer',
      status: 'enabled',
    });
    expect(
      (await svc.register(as('editor'), newUser({ email: 'b@x.io', username: 'b', role: 'admin' }))).role,
    ).toBe('viewer');
    expect(
      (await svc.register(as('admin'), newUser({ email: 'c@x.io', username: 'c', role: 'editor' }))).role,
    ).toBe('editor');
    await expect(
      svc.register(as('admin'), newUser({ email: 'd@x.io', username: 'd', role: 'admin' })),
    ).rejects.toThrow(AuthorizationError);
    expect(
      (await svc.register(as('owner'), newUser({ email: 'e@x.io', username: 'e', role: 'owner' }))).role,
    ).toBe('owner');
  });

  it('with self-registration off: 401 for anonymous callers, 403 for non-admins', async () => {
    const { svc } = setup(false);
    await expect(svc.register(anon, newUser())).rejects.toThrow(AuthenticationError);
    await expect(svc.register(as('editor'), newUser())).rejects.toThrow(AuthorizationError);
    await expect(svc.register(as('admin'), newUser())).resolves.toMatchObject({ username: 'ada' });
  });
});

describe('issueToken', () => {
  it('signs in by email or username, case-insensitively', async () => {
    const { svc, auth } = setup();
    const user = await svc.register(anon, newUser());
    await svc.issueToken(anon, 'ADA@example.com', 'correct horse');
    await svc.issueToken(anon, 'Ada', 'correct horse');
    expect(auth.issued).toEqual([user.id, user.id]);
  });

  it('fails the same way for a wrong secret, an unknown identity and a disabled account', async () => {
    const { svc, repo, hasher } = setup();
    const user = await svc.register(anon, newUser());
    const wrong = await svc.issueToken(anon, 'ada', 'wrong secret').catch((e) => e);
    const unknown = await svc.issueToken(anon, 'nobody', 'wrong secret').catch((e) => e);
    repo.users.get(user.id)!.user = { ...user, status: 'disabled' };
    const disabled = await svc.issueToken(anon, 'ada', 'correct horse').catch((e) => e);
    for (const e of [wrong, unknown, disabled]) {
      expect(e).toBeInstanceOf(AuthenticationError);
      expect(e.message).toBe('invalid identity or secret');
    }
    expect(hasher.compared).toContain('v2:dummy-never-matches');
  });

  it('locks after the threshold, known or unknown identity alike, even for the right secret', async () => {
    const { svc, audit } = setup();
    await svc.register(anon, newUser());
    for (const identity of ['ada', 'ghost']) {
      for (let i = 0; i < 3; i++)
        await expect(svc.issueToken(anon, identity, 'nope-nope')).rejects.toThrow(AuthenticationError);
      const locked = await svc.issueToken(anon, identity, 'correct horse').catch((e) => e);
      expect(locked).toBeInstanceOf(LockedError);
      expect(locked.retryAfter).toBeGreaterThan(0);
    }
    expect(audit.records.filter((r) => r.type === 'locked')).toHaveLength(2);
  });

  it('rehashes a secret stored with old settings after a successful sign-in', async () => {
    const { svc, repo } = setup();
    const user = await svc.register(anon, newUser());
    repo.users.get(user.id)!.hash = 'v1:correct horse';
    await svc.issueToken(anon, 'ada', 'correct horse');
    expect(repo.users.get(user.id)!.hash).toBe('v2:correct horse');
  });
});

describe('changes', () => {
  it('revokes sessions on role change (keys too when demoted) and refuses to remove the last owner', async () => {
    const { svc, auth } = setup();
    const owner = await svc.register(as('owner'), newUser({ role: 'owner', email: 'o@x.io', username: 'o' }));
    const ada = await svc.register(as('owner'), newUser({ role: 'editor' }));
    await svc.updateRole(as('owner'), ada.id, 'viewer');
    expect(auth.revoked).toEqual([{ userId: ada.id, includeApiKeys: true }]);
    await expect(svc.updateRole(as('owner', owner.id), owner.id, 'admin')).rejects.toThrow(ConflictError);
    await expect(svc.disable(as('owner', owner.id), owner.id)).rejects.toThrow(/last enabled owner/);
    await expect(svc.view(as('admin'), '00000000-0000-4000-8000-000000000009')).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('Magistrala semantics (issue 18)', () => {
  it('read-only fields sent back are fine when unchanged, refused naming the field when they would change', async () => {
    const { svc, repo } = setup();
    const ada = await svc.register(as('owner'), newUser({ role: 'editor' }));
    const same = {
      id: ada.id,
      email: ada.email.toUpperCase(),
      'credentials.username': ada.username,
      role: 'editor',
      status: 'enabled',
      created_at: ada.createdAt.toISOString(),
    };
    const ok = await svc.update(as('owner'), ada.id, { firstName: 'Augusta', echoed: same });
    expect(ok.firstName).toBe('Augusta');
    for (const [field, value] of [
      ['id', '00000000-0000-4000-8000-000000000009'],
      ['email', 'other@x.io'],
      ['credentials.username', 'other'],
      ['role', 'admin'],
      ['status', 'disabled'],
      ['created_at', '2020-01-01T00:00:00.000Z'],
      ['updated_at', '2020-01-01T00:00:00.000Z'],
    ] as const) {
      await expect(
        svc.update(as('owner'), ada.id, { firstName: 'Mallory', echoed: { ...same, [field]: value } }),
      ).rejects.toThrow(new ValidationError('is read-only here: leave it out, empty or unchanged', field));
    }
    expect(repo.users.get(ada.id)!.user).toMatchObject({
      firstName: 'Augusta',
      role: 'editor',
      status: 'enabled',
    });
  });

  it('enabling an enabled user or disabling a disabled one is refused as unchanged (422)', async () => {
    const { svc } = setup();
    const ada = await svc.register(as('owner'), newUser());
    await expect(svc.enable(as('owner'), ada.id)).rejects.toThrow(StatusUnchangedError);
    await svc.disable(as('owner'), ada.id);
    await expect(svc.disable(as('owner'), ada.id)).rejects.toThrow(StatusUnchangedError);
  });

  it('anyone signed in views another enabled user with the private fields blanked; a disabled one is not found', async () => {
    const { svc } = setup();
    const ada = await svc.register(
      as('owner'),
      newUser({ metadata: { a: 1 }, privateMetadata: { salary: 1 }, tags: ['t'] }),
    );
    const seen = await svc.view(as('viewer'), ada.id);
    expect(seen).toMatchObject({ id: ada.id, email: '', metadata: {}, privateMetadata: {}, tags: [] });
    expect((await svc.view(as('admin'), ada.id)).privateMetadata).toEqual({ salary: 1 });
    await svc.disable(as('owner'), ada.id);
    await expect(svc.view(as('viewer'), ada.id)).rejects.toThrow(NotFoundError);
  });
});

describe('ensureOwner', () => {
  it('creates the owner once, announcing a generated password only when none was configured', async () => {
    const { svc, repo } = setup(false);
    const announced: string[] = [];
    const settings = { email: 'admin@example.com', username: 'admin' };
    const r = repo as unknown as UsersRepository;
    await expect(ensureOwner(r, svc, settings, (p) => announced.push(p))).resolves.toBe('created');
    await expect(ensureOwner(r, svc, settings, (p) => announced.push(p))).resolves.toBe('exists');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.length).toBeGreaterThanOrEqual(24);
    await expect(svc.issueToken(anon, 'admin', announced[0]!)).resolves.toMatchObject({
      accessType: 'Bearer',
    });
  });
});
