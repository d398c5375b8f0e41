import { connect, type NatsConnection } from 'nats';
import type { UserEvent } from '@usher/contracts';
import { describeWithNats, testNatsUrl, waitFor } from '@usher/testkit';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// Every state-changing route writes exactly one user event (through the outbox, to JetStream) with
// a complete payload; reads write none.
describe('user events', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let nc: NatsConnection;
  const events: UserEvent[] = [];
  const mine = new Set<string>();
  let skip = false;

  beforeAll(async () => {
    if ((await describeWithNats()) === describe.skip) {
      skip = true;
      return;
    }
    auth = await startAuthProcess();
    users = await startUsers(auth.address, {
      USHER_USERS_LOCKOUT_THRESHOLD: '3',
      USHER_USERS_DELETE_INTERVAL: '1s',
      USHER_USERS_DELETE_AFTER: '1s',
    });
    http = api(users.url);
    nc = await connect({ servers: testNatsUrl() });
    const sub = nc.subscribe('usher.users.>');
    void (async () => {
      for await (const m of sub) {
        const e = JSON.parse(m.string()) as UserEvent;
        // Other test runs may publish too: keep the events about this test's users.
        if (e.user && mine.has(e.user.id)) events.push(e);
      }
    })();
    await nc.flush();
  });
  afterAll(async () => {
    await nc?.close();
    await users?.stop();
    await auth?.stop();
  });

  /** Runs one request and returns the events it caused (waiting until they stop arriving). */
  async function eventsOf(run: () => Promise<{ status: number }>, expected: number): Promise<UserEvent[]> {
    const before = events.length;
    const res = await run();
    expect(res.status).toBeLessThan(500);
    if (expected > 0) await waitFor(() => events.length - before >= expected, 10_000, 20);
    await new Promise((r) => setTimeout(r, 300)); // nothing more may follow
    return events.slice(before);
  }

  const expectComplete = (e: UserEvent, type: string, userId: string) => {
    expect(e).toMatchObject({ type, version: 1, user: { id: userId } });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(e.occurred_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(e.request?.ip).toMatch(/127\.0\.0\.1/);
    if (e.type !== 'purged')
      expect(e.user).toEqual(
        expect.objectContaining({
          email: expect.any(String),
          role: expect.any(String),
          status: expect.any(String),
        }),
      );
    expect(JSON.stringify(e)).not.toMatch(/secret-|password-/);
  };

  it('one event per state-changing route, none for reads', async () => {
    if (skip) return;
    const owner = await http.signIn(OWNER.username, OWNER.password);
    const ownerId = (await http.get('/users/profile', owner.access_token)).body.id;
    mine.add(ownerId);

    // Sign-up goes first: its id is only known from the response, so match on the email.
    const created = await http.post('/users', newUserBody('ev'));
    const id = created.body.id as string;
    mine.add(id);
    await waitFor(() => events.some((e) => e.type === 'created' && e.user?.id === id), 10_000);
    expectComplete(
      events.find((e) => e.user?.id === id)!,
      'created',
      id,
    );

    let session = { access_token: '', refresh_token: '' };
    await eventsOf(async () => {
      session = await http.signIn('user_ev', 'secret-ev-long');
      return { status: 201 };
    }, 1);
    const steps: [string, () => Promise<{ status: number }>, string | null][] = [
      [
        'sign-in',
        () => http.post('/users/tokens/issue', { identity: 'user_ev', secret: 'secret-ev-long' }),
        'signed_in',
      ],
      [
        'failed sign-in',
        () => http.post('/users/tokens/issue', { identity: 'user_ev', secret: 'nope-nope' }),
        'login_failed',
      ],
      [
        'refresh',
        async () => {
          const r = await http.post('/users/tokens/refresh', undefined, session.refresh_token);
          session = r.body;
          return r;
        },
        null,
      ],
      ['profile', () => http.get('/users/profile', session.access_token), null],
      ['view', () => http.get(`/users/${id}`, owner.access_token), null],
      ['list', () => http.get('/users', owner.access_token), null],
      ['search', () => http.get('/users/search?username=ev', owner.access_token), null],
      ['sessions', () => http.get('/users/sessions', session.access_token), null],
      ['keys', () => http.get('/users/keys', session.access_token), null],
      ['audit', () => http.get('/audit', owner.access_token), null],
      ['update', () => http.patch(`/users/${id}`, { first_name: 'Eve' }, owner.access_token), 'updated'],
      [
        'email',
        () => http.patch(`/users/${id}/email`, { email: 'eve@example.com' }, owner.access_token),
        'email_changed',
      ],
      [
        'username',
        () => http.patch(`/users/${id}/username`, { username: 'eve' }, owner.access_token),
        'username_changed',
      ],
      [
        'picture',
        () => http.patch(`/users/${id}/picture`, { picture: 'eve.png' }, owner.access_token),
        'picture_changed',
      ],
      ['tags', () => http.patch(`/users/${id}/tags`, { tags: ['a'] }, owner.access_token), 'tags_changed'],
      ['key create', () => http.post('/users/keys', { name: 'k' }, session.access_token), 'key_created'],
      [
        'key revoke',
        async () => {
          const keys = await http.get('/users/keys', session.access_token);
          return http.del(`/users/keys/${keys.body.keys[0].id}`, session.access_token);
        },
        'key_revoked',
      ],
      [
        'revoke one session',
        async () => {
          const other = await http.signIn('eve', 'secret-ev-long');
          const list = await http.get('/users/sessions', other.access_token);
          const target = list.body.sessions.find((s: { current: boolean }) => !s.current);
          return http.del(`/users/sessions/${target.id}`, other.access_token);
        },
        'session_revoked',
      ],
      [
        'sign out',
        async () => {
          const s = await http.signIn('eve', 'secret-ev-long');
          return http.post('/users/tokens/revoke', undefined, s.access_token);
        },
        'session_revoked',
      ],
      [
        'admin revokes all sessions',
        () => http.del(`/users/${id}/sessions`, owner.access_token),
        'session_revoked',
      ],
      ['unlock', () => http.post(`/users/${id}/unlock`, undefined, owner.access_token), 'unlocked'],
      [
        'own password',
        async () => {
          const s = await http.signIn('eve', 'secret-ev-long');
          return http.patch(
            '/users/secret',
            { old_secret: 'secret-ev-long', new_secret: 'secret-ev-long2' },
            s.access_token,
          );
        },
        'password_changed',
      ],
      [
        'admin sets password',
        () => http.patch(`/users/${id}/secret`, { new_secret: 'secret-ev-long3' }, owner.access_token),
        'password_changed',
      ],
      ['role', () => http.patch(`/users/${id}/role`, { role: 'editor' }, owner.access_token), 'role_changed'],
      ['disable', () => http.post(`/users/${id}/disable`, undefined, owner.access_token), 'disabled'],
      ['enable', () => http.post(`/users/${id}/enable`, undefined, owner.access_token), 'enabled'],
      ['delete', () => http.del(`/users/${id}`, owner.access_token), 'deleted'],
    ];
    for (const [name, run, type] of steps) {
      // Sign-ins made inside a step (to get a fresh session) publish signed_in too: count them.
      const got = await eventsOf(run, type ? 1 : 0);
      const relevant = got.filter((e) => !(e.type === 'signed_in' && name !== 'sign-in'));
      if (type === null) {
        expect({ step: name, events: relevant.map((e) => e.type) }).toEqual({ step: name, events: [] });
      } else {
        expect({ step: name, events: relevant.map((e) => e.type) }).toEqual({ step: name, events: [type] });
        expectComplete(relevant[0]!, type, id);
      }
    }
    const updated = events.find((e) => e.type === 'updated')!;
    expect(updated.changes).toEqual({ first_name: { old: 'Test', new: 'Eve' } });
    const role = events.find((e) => e.type === 'role_changed')!;
    expect(role.changes).toEqual({ role: { old: 'viewer', new: 'editor' } });
    expect(role.actor_id).toBe(ownerId);
    // The purge job follows the delete (USHER_USERS_DELETE_AFTER=1s).
    await waitFor(() => events.some((e) => e.type === 'purged' && e.user?.id === id), 15_000, 100);
    // Each event id once.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  }, 120_000);

  it('the failure that locks an account writes login_failed and locked', async () => {
    if (skip) return;
    const created = await http.post('/users', newUserBody('lk'));
    mine.add(created.body.id);
    await eventsOf(() => http.post('/users/tokens/issue', { identity: 'user_lk', secret: 'bad-1' }), 1);
    await eventsOf(() => http.post('/users/tokens/issue', { identity: 'user_lk', secret: 'bad-2' }), 1);
    const third = await eventsOf(
      () => http.post('/users/tokens/issue', { identity: 'user_lk', secret: 'bad-3' }),
      2,
    );
    expect(third.map((e) => e.type)).toEqual(['login_failed', 'locked']);
  });
});
