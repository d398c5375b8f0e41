import type { RoleName } from '@usher/contracts';
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../errors';
import { AuthorizedUsers } from '../middleware/authorization';
import type {
  Caller,
  ClientMeta,
  NewUser,
  PasswordHasher,
  TokenIssuer,
  TokenPair,
  User,
  UsersRepository,
} from '../service';
import { ensureOwner } from './owner';
import { Users } from './users';

// In-memory fakes: the domain rules, without PostgreSQL or the auth service (test/ covers those).
class MemoryRepo implements UsersRepository {
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
  async updateSecretHash(id: string, hash: string) {
    this.users.get(id)!.hash = hash;
  }
  async countByRole(role: RoleName) {
    return [...this.users.values()].filter((u) => u.user.role === role).length;
  }
}

/** Reversible "hash" that records what it was asked to compare. */
class FakeHasher implements PasswordHasher {
  compared: string[] = [];
  constructor(private readonly version = 'v2') {}
  async hash(secret: string) {
    return `${this.version}:${secret}`;
  }
  async compare(secret: string, hash: string) {
    this.compared.push(hash);
    return hash.slice(hash.indexOf(':') + 1) === secret;
  }
  needsRehash(hash: string) {
    return !hash.startsWith(`${this.version}:`);
  }
}

class FakeTokens implements TokenIssuer {
  issued: User[] = [];
  async issue(user: User): Promise<TokenPair> {
    this.issued.push(user);
    return { accessToken: `a-${user.id}`, refreshToken: `r-${user.id}`, accessType: 'Bearer' };
  }
  async refresh(token: string): Promise<TokenPair> {
    return { accessToken: 'a2', refreshToken: `${token}-next`, accessType: 'Bearer' };
  }
}

const client: ClientMeta = { userAgent: 'jest', ip: '127.0.0.1' };
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
const caller = (role: RoleName, userId = 'c0ffee00-0000-4000-8000-000000000000'): Caller => ({
  userId,
  role,
  sessionId: 's',
  verified: true,
});

function setup(allowSelfRegister = true) {
  const repo = new MemoryRepo();
  const hasher = new FakeHasher();
  const tokens = new FakeTokens();
  const inner = new Users(repo, hasher, tokens, {
    passRegex: /^.{8,}$/,
    dummyHash: 'v2:dummy-never-matches',
  });
  const svc = new AuthorizedUsers(inner, { allowSelfRegister });
  return { repo, hasher, tokens, svc };
}

describe('register', () => {
  it('stores a hash, never the secret, and returns the user', async () => {
    const { svc, repo } = setup();
    const user = await svc.register(null, newUser());
    expect(user).toMatchObject({
      email: 'ada@example.com',
      username: 'ada',
      role: 'viewer',
      status: 'enabled',
    });
    expect(JSON.stringify(user)).not.toContain('correct horse');
    expect(repo.users.get(user.id)!.hash).toBe('v2:correct horse');
  });

  it('refuses a secret that breaks the password policy, naming the field', async () => {
    const { svc } = setup();
    await expect(svc.register(null, newUser({ secret: 'short' }))).rejects.toThrow(ValidationError);
    await expect(svc.register(null, newUser({ secret: 'short' }))).rejects.toThrow(/credentials\.secret/);
    await expect(svc.register(null, newUser({ secret: 'x'.repeat(73) }))).rejects.toThrow(/72 bytes/);
  });

  it('makes every self-registered user an enabled viewer whatever the body says', async () => {
    const { svc } = setup();
    const user = await svc.register(null, newUser({ role: 'owner', status: 'disabled' }));
    expect(user.role).toBe('viewer');
    expect(user.status).toBe('enabled');
    const other = await svc.register(
      caller('editor'),
      newUser({ email: 'b@example.com', username: 'bob', role: 'admin' }),
    );
    expect(other.role).toBe('viewer');
  });

  it('lets admins assign roles up to their own', async () => {
    const { svc } = setup();
    const editor = await svc.register(caller('admin'), newUser({ role: 'editor' }));
    expect(editor.role).toBe('editor');
    await expect(
      svc.register(caller('admin'), newUser({ email: 'o@example.com', username: 'o', role: 'owner' })),
    ).rejects.toThrow(AuthorizationError);
    const owner = await svc.register(
      caller('owner'),
      newUser({ email: 'o@example.com', username: 'o', role: 'owner' }),
    );
    expect(owner.role).toBe('owner');
  });

  it('with self-registration off: 401 for anonymous callers, 403 for non-admins, admins still can', async () => {
    const { svc } = setup(false);
    await expect(svc.register(null, newUser())).rejects.toThrow(AuthenticationError);
    await expect(svc.register(caller('editor'), newUser())).rejects.toThrow(AuthorizationError);
    await expect(svc.register(caller('admin'), newUser())).resolves.toMatchObject({ username: 'ada' });
  });
});

describe('issueToken', () => {
  it('signs in by email or username, case-insensitively', async () => {
    const { svc, tokens } = setup();
    const user = await svc.register(null, newUser());
    await expect(svc.issueToken('ADA@example.com', 'correct horse', client)).resolves.toMatchObject({
      accessType: 'Bearer',
    });
    await expect(svc.issueToken('Ada', 'correct horse', client)).resolves.toMatchObject({
      accessToken: `a-${user.id}`,
    });
    expect(tokens.issued).toHaveLength(2);
  });

  it('fails the same way for a wrong secret, an unknown identity and a disabled account', async () => {
    const { svc, repo, hasher } = setup();
    const user = await svc.register(null, newUser());
    const wrong = await svc.issueToken('ada', 'wrong secret', client).catch((e) => e);
    const unknown = await svc.issueToken('nobody', 'wrong secret', client).catch((e) => e);
    repo.users.get(user.id)!.user = { ...user, status: 'disabled' };
    const disabled = await svc.issueToken('ada', 'correct horse', client).catch((e) => e);
    for (const e of [wrong, unknown, disabled]) {
      expect(e).toBeInstanceOf(AuthenticationError);
      expect(e.message).toBe('invalid identity or secret');
    }
    // The unknown identity was still compared, against the dummy hash.
    expect(hasher.compared).toContain('v2:dummy-never-matches');
  });

  it('rehashes a secret stored with old settings after a successful sign-in', async () => {
    const { svc, repo } = setup();
    const user = await svc.register(null, newUser());
    repo.users.get(user.id)!.hash = 'v1:correct horse';
    await svc.issueToken('ada', 'correct horse', client);
    expect(repo.users.get(user.id)!.hash).toBe('v2:correct horse');
  });
});

describe('view', () => {
  it('shows users their own account and admins anyone; others get 403, unknown ids 404', async () => {
    const { svc } = setup();
    const ada = await svc.register(null, newUser());
    await expect(svc.viewProfile(caller('viewer', ada.id))).resolves.toMatchObject({ id: ada.id });
    await expect(svc.view(caller('viewer'), ada.id)).rejects.toThrow(AuthorizationError);
    await expect(svc.view(caller('admin'), ada.id)).resolves.toMatchObject({ id: ada.id });
    await expect(svc.view(caller('admin'), '00000000-0000-4000-8000-000000000009')).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('ensureOwner', () => {
  it('creates the owner once, announcing a generated password only when none was configured', async () => {
    const { svc, repo } = setup(false);
    const announced: string[] = [];
    const settings = { email: 'admin@example.com', username: 'admin' };
    await expect(ensureOwner(repo, svc, settings, (p) => announced.push(p))).resolves.toBe('created');
    await expect(ensureOwner(repo, svc, settings, (p) => announced.push(p))).resolves.toBe('exists');
    expect(announced).toHaveLength(1);
    expect(announced[0]!.length).toBeGreaterThanOrEqual(24);
    await expect(svc.issueToken('admin', announced[0]!, client)).resolves.toMatchObject({
      accessType: 'Bearer',
    });
    const owner = (await repo.findCredentials('admin'))!.user;
    expect(owner.role).toBe('owner');
  });
});
