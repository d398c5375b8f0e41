import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';
import { counter } from './metrics-scrape';

const COMPARES = 'usher_users_password_compares_total';

// Promise: with threshold N, at most N secrets of one account are compared per window, whatever
// the concurrency; a locked account answers 423 even to the right secret, on sign-in and on
// PATCH /users/secret alike, and the secret change counts its failures like sign-in does.
describe('security: atomic lockout', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  const THRESHOLD = 5;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, {
      USHER_USERS_LOCKOUT_THRESHOLD: String(THRESHOLD),
      USHER_USERS_LOCKOUT_WINDOW: '10m',
      USHER_USERS_LOCKOUT_DURATION: '10m',
    });
    http = api(users.url);
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('50 concurrent guesses, the right one last: at most N compares, and the right secret gets 423', async () => {
    expect((await http.post('/users', newUserBody('race'))).status).toBe(201);
    const before = await counter(users, COMPARES);
    const guesses = Array.from({ length: 49 }, (_, i) => `wrong-guess-${i}`);
    const answers = await Promise.all(
      [...guesses, 'secret-race-long'].map((secret) =>
        http.post('/users/tokens/issue', { identity: 'user_race', secret }),
      ),
    );
    const compared = (await counter(users, COMPARES)) - before;
    expect(compared).toBeLessThanOrEqual(THRESHOLD);
    expect(answers.at(-1)!.status).toBe(423);
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(THRESHOLD);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(0);
    expect(answers.every((a) => a.status === 401 || a.status === 423)).toBe(true);
  }, 120_000);

  it('PATCH /users/secret checks the lock before comparing the old secret', async () => {
    expect((await http.post('/users', newUserBody('patch'))).status).toBe(201);
    const { access_token } = await http.signIn('user_patch', 'secret-patch-long');
    for (let i = 0; i < THRESHOLD; i++) {
      expect(
        (await http.post('/users/tokens/issue', { identity: 'user_patch', secret: `bad-${i}` })).status,
      ).toBe(401);
    }
    const before = await counter(users, COMPARES);
    const change = await http.patch(
      '/users/secret',
      { old_secret: 'secret-patch-long', new_secret: 'a-new-secret-for-patch' },
      access_token,
    );
    expect(change.status).toBe(423);
    expect(change.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await counter(users, COMPARES)) - before).toBe(0);
  }, 60_000);

  it('wrong old secrets count like failed sign-ins and lock the account', async () => {
    expect((await http.post('/users', newUserBody('oldsec'))).status).toBe(201);
    const { access_token } = await http.signIn('user_oldsec', 'secret-oldsec-long');
    const statuses: number[] = [];
    for (let i = 0; i < THRESHOLD + 1; i++) {
      const res = await http.patch(
        '/users/secret',
        { old_secret: `not-it-${i}`, new_secret: 'a-new-secret-for-oldsec' },
        access_token,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(THRESHOLD).fill(401), 423]);
    // the lock holds for sign-in too, right secret or not
    expect(
      (await http.post('/users/tokens/issue', { identity: 'user_oldsec', secret: 'secret-oldsec-long' }))
        .status,
    ).toBe(423);
  }, 60_000);

  it('audits each lock once, with the time it ends', async () => {
    expect((await http.post('/users', newUserBody('once'))).status).toBe(201);
    for (let i = 0; i < THRESHOLD + 2; i++) {
      await http.post('/users/tokens/issue', { identity: 'user_once', secret: `bad-once-${i}` });
    }
    const owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    const id = (await http.get('/users/search?username=user_once', owner)).body.users[0].id;
    const log = await http.get(`/audit?user_id=${id}&type=locked`, owner);
    expect(log.body.events).toHaveLength(1);
    expect(Date.parse(log.body.events[0].details.until)).toBeGreaterThan(Date.now());
  }, 60_000);
});
