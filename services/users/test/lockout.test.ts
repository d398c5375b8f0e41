import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('lockout', () => {
  let auth: AuthProcess;
  let a: UsersInstance;
  let b: UsersInstance;
  let httpA: ReturnType<typeof api>;
  let httpB: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    const env = {
      USHER_USERS_LOCKOUT_THRESHOLD: '3',
      USHER_USERS_LOCKOUT_WINDOW: '1m',
      USHER_USERS_LOCKOUT_DURATION: '2s',
    };
    a = await startUsers(auth.address, env);
    // A second replica on the same database: counters are shared through PostgreSQL.
    b = await startUsers(auth.address, { ...env, USHER_DB_URL: a.db.url });
    httpA = api(a.url);
    httpB = api(b.url);
    await httpA.post('/users', newUserBody('lock'));
  });
  afterAll(async () => {
    await b?.handle.stop();
    await a?.stop();
    await auth?.stop();
  });

  const attempt = (http: ReturnType<typeof api>, identity: string, secret: string) =>
    http.post('/users/tokens/issue', { identity, secret });

  it('locks after the threshold across replicas, answers 423 with retry_after even to the right secret, then lets go', async () => {
    expect((await attempt(httpA, 'user_lock', 'wrong-1')).status).toBe(401);
    expect((await attempt(httpB, 'user-lock@example.com', 'wrong-2')).status).toBe(401); // same account, other identity, other replica
    expect((await attempt(httpA, 'user_lock', 'wrong-3')).status).toBe(401);
    const locked = await attempt(httpB, 'user_lock', 'secret-lock-long');
    expect(locked.status).toBe(423);
    expect(locked.body).toEqual({
      error: 'account_locked',
      message: expect.stringMatching(/retry in/),
      retry_after: expect.any(Number),
    });
    expect(locked.body.retry_after).toBeGreaterThan(0);
    expect(locked.headers.get('retry-after')).toBe(String(locked.body.retry_after));
    await new Promise((r) => setTimeout(r, 2200));
    expect((await attempt(httpA, 'user_lock', 'secret-lock-long')).status).toBe(201);
  });

  it('answers unknown identities exactly like known ones', async () => {
    const known: number[] = [];
    const unknown: unknown[] = [];
    await httpA.post('/users', newUserBody('twin'));
    for (let i = 0; i < 4; i++) {
      const k = await attempt(httpA, 'user_twin', `bad-${i}`);
      const u = await attempt(httpA, 'user_nobody_here', `bad-${i}`);
      known.push(k.status);
      unknown.push(u.status);
      if (i === 3) expect(u.body).toEqual({ ...k.body, message: expect.any(String) });
    }
    expect(known).toEqual([401, 401, 401, 423]);
    expect(unknown).toEqual(known);
  });

  it('an admin unlocks an account at once', async () => {
    const victim = await httpA.post('/users', newUserBody('unl'));
    for (let i = 0; i < 3; i++) await attempt(httpA, 'user_unl', 'wrong');
    expect((await attempt(httpA, 'user_unl', 'secret-unl-long')).status).toBe(423);
    const owner = (await httpA.signIn(OWNER.username, OWNER.password)).access_token;
    expect((await httpB.post(`/users/${victim.body.id}/unlock`, undefined, owner)).status).toBe(204);
    expect((await attempt(httpA, 'user_unl', 'secret-unl-long')).status).toBe(201);
  });
});
