import type { RoleName } from '@usher/contracts';
import { loadUsersConfig } from '@usher/config';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/postgres/data-source';
import { PostgresUsersRepository } from '../../src/postgres/user-repository';
import { Transactor } from '../../src/postgres/tx';
import { Users } from '../../src/domain/users';
import type {
  AuditLog,
  AuditRecord,
  AuthPort,
  EmailTokenStore,
  InvitationsRepository,
  LockoutStore,
  MailQueue,
  MailTemplates,
  PasswordHasher,
  RefreshedClaims,
  UsersRepository,
} from '../../src/ports';
import type { Ctx, User } from '../../src/service';

// Revocation races, reproduced deterministically: the sign-in's password compare is held open by a
// gate while an admin disables, demotes or re-passwords the account, then let go. In-memory fakes
// stand for PostgreSQL and the auth service; the share lock that orders the real re-check after a
// change in flight, and the compare-and-set of the rehash, are tested on PostgreSQL at the end
// (test/security/email-change.test.ts refreshes against the real services).

class MemoryRepo {
  rows = new Map<string, { user: User; hash: string }>();
  async create(user: User, hash: string) {
    this.rows.set(user.id, { user, hash });
    return user;
  }
  async findById(id: string) {
    return this.rows.get(id)?.user ?? null;
  }
  async findCredentials(identity: string) {
    for (const { user, hash } of this.rows.values())
      if (user.username === identity || user.email === identity) return { user, secretHash: hash };
    return null;
  }
  async lockCredentials(id: string) {
    const row = this.rows.get(id);
    return row ? { user: row.user, secretHash: row.hash } : null;
  }
  async secretHashOf(id: string) {
    return this.rows.get(id)?.hash ?? null;
  }
  async updateSecretHash(id: string, hash: string) {
    this.rows.get(id)!.hash = hash;
  }
  async replaceSecretHash(id: string, expected: string, hash: string) {
    const row = this.rows.get(id)!;
    if (row.hash !== expected) return false;
    row.hash = hash;
    return true;
  }
  async update(user: User) {
    this.rows.get(user.id)!.user = user;
    return user;
  }
  async lockEnabledOwners() {
    return [...this.rows.values()].filter((r) => r.user.role === 'owner').map((r) => r.user.id);
  }
}

/** "v1:" hashes need a rehash; compare waits at the gate while one is set. */
class GatedHasher implements PasswordHasher {
  gate: Promise<void> | undefined;
  entered: () => void = () => undefined;
  async hash(secret: string) {
    return `v2:${secret}`;
  }
  async compare(secret: string, hash: string) {
    const ok = hash.slice(3) === secret;
    if (this.gate) {
      this.entered();
      await this.gate;
    }
    return ok;
  }
  needsRehash(hash: string) {
    return hash.startsWith('v1:');
  }
}

class FakeAuth {
  seq = 0;
  live = new Map<string, { userId: string; role: RoleName; verified: boolean }>();
  revokedSessions: string[] = [];
  async issue(user: User) {
    const sessionId = `s${++this.seq}`;
    this.live.set(sessionId, { userId: user.id, role: user.role, verified: user.verifiedAt !== null });
    return { accessToken: `a-${sessionId}`, refreshToken: `r-${sessionId}`, accessType: 'Bearer', sessionId };
  }
  /** Like auth: the session's claims are copied into the new pair. */
  async refresh(
    token: string,
  ): Promise<{ accessToken: string; refreshToken: string; accessType: string } & RefreshedClaims> {
    const sessionId = token.slice(2);
    const s = this.live.get(sessionId);
    if (!s) throw new Error('session revoked');
    return {
      accessToken: `a-${sessionId}`,
      refreshToken: `r-${sessionId}`,
      accessType: 'Bearer',
      sessionId,
      ...s,
    };
  }
  async revokeSession(_userId: string, sessionId: string) {
    this.live.delete(sessionId);
    this.revokedSessions.push(sessionId);
  }
  /** Revokes the sessions that exist now: a session issued later is not among them. */
  async revokeUserSessions(userId: string) {
    let n = 0;
    for (const [id, s] of this.live)
      if (s.userId === userId) {
        this.live.delete(id);
        this.revokedSessions.push(id);
        n++;
      }
    return n;
  }
}

const client = { userAgent: 'jest', ip: '127.0.0.1' };
const anon: Ctx = { caller: null, client };
const admin: Ctx = {
  caller: { userId: 'admin-id', role: 'owner', sessionId: 'admin-session', verified: true },
  client,
};

function setup() {
  const repo = new MemoryRepo();
  const hasher = new GatedHasher();
  const auth = new FakeAuth();
  const records: AuditRecord[] = [];
  const lockout: LockoutStore = {
    lockedUntil: async () => null,
    recordFailure: async () => ({ failures: 1, lockedUntil: null }),
    clear: async () => undefined,
  };
  const svc = new Users(
    {
      repo: repo as unknown as UsersRepository,
      hasher,
      auth: auth as unknown as AuthPort,
      audit: { append: async (r: AuditRecord) => void records.push(r) } as unknown as AuditLog,
      lockout,
      uow: { run: (work) => work() },
      emailTokens: {} as EmailTokenStore,
      invitations: {} as InvitationsRepository,
      mailQueue: { enqueue: async () => undefined, wake: () => undefined } as MailQueue,
      mailTemplates: {} as MailTemplates,
    },
    {
      passRegex: /^.{8,}$/,
      dummyHash: 'v2:dummy-never-matches',
      lockout: { threshold: 5, windowMs: 60_000, durationMs: 60_000 },
      links: {
        passwordReset: { urlPrefix: 'http://localhost/password/reset', ttlMs: 300_000 },
        verification: { urlPrefix: 'http://localhost/verify-email', ttlMs: 86_400_000 },
        invitation: { urlPrefix: 'http://localhost/invitations/accept', ttlMs: 259_200_000 },
      },
    },
  );
  const user: User = {
    id: 'victim-id',
    firstName: 'Vic',
    lastName: 'Tim',
    email: 'vic@example.com',
    username: 'vic',
    role: 'editor',
    status: 'enabled',
    tags: [],
    metadata: {},
    privateMetadata: {},
    picture: '',
    verifiedAt: new Date(),
    createdAt: new Date(),
    updatedAt: null,
    updatedBy: null,
  };
  void repo.create(user, 'v2:old-password-1');
  void repo.create(
    { ...user, id: 'admin-id', email: 'a@example.com', username: 'admin', role: 'owner' },
    'v2:x',
  );

  /** Starts a sign-in and holds it inside the password compare until `release`. */
  async function heldSignIn(secret = 'old-password-1') {
    let release!: () => void;
    hasher.gate = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (hasher.entered = resolve));
    const signIn = svc.issueToken(anon, 'vic', secret);
    signIn.catch(() => undefined);
    await entered;
    hasher.gate = undefined;
    return { signIn, release };
  }
  return { repo, hasher, auth, svc, records, heldSignIn };
}

describe('a sign-in in flight does not outlive a revocation made during its compare', () => {
  it('disable: the sign-in is refused and its new session revoked', async () => {
    const t = setup();
    const { signIn, release } = await t.heldSignIn();
    await t.svc.disable(admin, 'victim-id');
    release();
    await expect(signIn).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect([...t.auth.live.values()].filter((s) => s.userId === 'victim-id')).toEqual([]);
    expect(t.records.some((r) => r.type === 'session_revoked' && r.details?.reason === 'disabled')).toBe(
      true,
    );
  });

  it('demotion: the session would carry the old role, so it is revoked', async () => {
    const t = setup();
    const { signIn, release } = await t.heldSignIn();
    await t.svc.updateRole(admin, 'victim-id', 'viewer');
    release();
    await expect(signIn).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect([...t.auth.live.values()].filter((s) => s.userId === 'victim-id')).toEqual([]);
  });

  it('temporary password: the old password no longer opens a session', async () => {
    const t = setup();
    const { signIn, release } = await t.heldSignIn();
    await t.svc.setTemporaryPassword(admin, 'victim-id');
    release();
    await expect(signIn).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect([...t.auth.live.values()].filter((s) => s.userId === 'victim-id')).toEqual([]);
  });

  it('the rehash is a compare-and-set: it never writes the old password over a reset one', async () => {
    const t = setup();
    t.repo.rows.get('victim-id')!.hash = 'v1:old-password-1';
    const { signIn, release } = await t.heldSignIn();
    await t.svc.setSecret(admin, 'victim-id', 'new-password-2');
    release();
    await expect(signIn).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(t.repo.rows.get('victim-id')!.hash).toBe('v2:new-password-2');
  });

  it('no change meanwhile: the sign-in succeeds and the rehash is stored (the control)', async () => {
    const t = setup();
    t.repo.rows.get('victim-id')!.hash = 'v1:old-password-1';
    const { signIn, release } = await t.heldSignIn();
    release();
    await expect(signIn).resolves.toMatchObject({ accessType: 'Bearer' });
    expect(t.repo.rows.get('victim-id')!.hash).toBe('v2:old-password-1');
    expect(t.auth.revokedSessions).toEqual([]);
  });
});

describe('refresh re-reads the account', () => {
  async function session(t: ReturnType<typeof setup>) {
    return (await t.svc.issueToken(anon, 'vic', 'old-password-1')).refreshToken;
  }

  it('refuses a disabled account and ends the session (even one that slipped past the revocation)', async () => {
    const t = setup();
    const refresh = await session(t);
    // Disabled without this session being revoked: what a lost race leaves behind.
    t.repo.rows.get('victim-id')!.user = { ...t.repo.rows.get('victim-id')!.user, status: 'disabled' };
    await expect(t.svc.refreshToken(anon, refresh)).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(t.auth.revokedSessions).toContain(refresh.slice(2));
  });

  it('refuses when the role changed since the session began', async () => {
    const t = setup();
    const refresh = await session(t);
    t.repo.rows.get('victim-id')!.user = { ...t.repo.rows.get('victim-id')!.user, role: 'viewer' };
    await expect(t.svc.refreshToken(anon, refresh)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('refuses when the address is no longer verified', async () => {
    const t = setup();
    const refresh = await session(t);
    t.repo.rows.get('victim-id')!.user = { ...t.repo.rows.get('victim-id')!.user, verifiedAt: null };
    await expect(t.svc.refreshToken(anon, refresh)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('an unchanged account refreshes (the control)', async () => {
    const t = setup();
    const refresh = await session(t);
    await expect(t.svc.refreshToken(anon, refresh)).resolves.toMatchObject({ accessType: 'Bearer' });
  });
});

describe('on PostgreSQL: the share lock and the compare-and-set', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tx: Transactor;
  let repo: PostgresUsersRepository;
  const user: User = {
    id: '5d3c4e1a-8f7b-4c2d-9e6f-0a1b2c3d4e5f',
    firstName: 'Pat',
    lastName: 'Gres',
    email: 'pat@example.com',
    username: 'pat',
    role: 'editor',
    status: 'enabled',
    tags: [],
    metadata: {},
    privateMetadata: {},
    picture: '',
    verifiedAt: new Date(),
    createdAt: new Date(),
    updatedAt: null,
    updatedBy: null,
  };

  beforeAll(async () => {
    db = await createTestDatabase('races');
    ds = await openDatabase(loadUsersConfig({ USHER_DB_URL: db.url }).db, 4);
    tx = new Transactor(ds);
    repo = new PostgresUsersRepository(tx);
    await repo.create(user, 'v1:old-password-1');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('the re-check waits for a disable still in its transaction and reads it once committed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let updated!: () => void;
    const inside = new Promise<void>((resolve) => (updated = resolve));
    const disabling = tx.run(async () => {
      await repo.update({ ...user, status: 'disabled' }, ['status']);
      updated();
      await gate; // the disable's revocation call would run here, before the commit
    });
    await inside;
    const order: string[] = [];
    const check = tx
      .run(() => repo.lockCredentials(user.id))
      .then((r) => {
        order.push('check');
        return r;
      });
    // Let the check reach PostgreSQL; it must still be waiting when the disable commits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    order.push('commit');
    release();
    await disabling;
    const seen = await check;
    expect(order).toEqual(['commit', 'check']);
    expect(seen?.user.status).toBe('disabled');
  });

  it('the rehash replaces only the hash it compared', async () => {
    expect(await repo.replaceSecretHash(user.id, 'v1:old-password-1', 'v2:old-password-1')).toBe(true);
    // A reset landed meanwhile: the stale rehash must not overwrite it.
    await repo.updateSecretHash(user.id, 'v2:new-password-2');
    expect(await repo.replaceSecretHash(user.id, 'v2:old-password-1', 'v2:old-password-1-again')).toBe(false);
    expect(await repo.secretHashOf(user.id)).toBe('v2:new-password-2');
  });
});
