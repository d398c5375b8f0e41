import { randomUUID } from 'crypto';
import { Client } from 'pg';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

jest.setTimeout(120_000);

// GET /stats/overview: the admin landing page's figures, aggregated by PostgreSQL.
describe('GET /stats/overview', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let db: Client;
  let owner: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_USERS_LOCKOUT_THRESHOLD: '3' });
    http = api(users.url);
    db = new Client({ connectionString: users.db.url, options: '-c search_path=users,public' });
    await db.connect();
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await db?.end();
    await users?.stop();
    await auth?.stop();
  });

  const backdate = (type: string, hoursAgo: number) =>
    db.query(
      `insert into audit_log (id, type, outcome, occurred_at, details)
       values ($1, $2, $3, now() - make_interval(hours => $4), '{}')`,
      [randomUUID(), type, type === 'signin_failed' ? 'failure' : 'success', hoursAgo],
    );

  it('answers only admins and owners', async () => {
    expect((await http.post('/users', newUserBody('ov_viewer'), owner)).status).toBe(201);
    expect((await http.post('/users', newUserBody('ov_admin', { role: 'admin' }), owner)).status).toBe(201);
    const viewer = (await http.signIn('user_ov_viewer', 'secret-ov_viewer-long')).access_token;
    const admin = (await http.signIn('user_ov_admin', 'secret-ov_admin-long')).access_token;
    expect((await http.get('/stats/overview')).status).toBe(401);
    expect((await http.get('/stats/overview', viewer)).status).toBe(403);
    expect((await http.get('/stats/overview', admin)).status).toBe(200);
  });

  it('counts sign-ins, failures and lockouts by hour and by day, with empty buckets, from the audit log', async () => {
    // Live: one more success, and a lockout (3 failures of an existing account with threshold 3).
    await http.signIn('user_ov_viewer', 'secret-ov_viewer-long');
    for (let i = 0; i < 3; i++)
      expect(
        (await http.post('/users/tokens/issue', { identity: 'user_ov_admin', secret: 'wrong-one!' })).status,
      ).toBe(401);
    // Older entries: 5 h ago (in both series), 3 days ago (days only), 40 days ago (in neither).
    await backdate('signin_succeeded', 5);
    await backdate('signin_failed', 5);
    await backdate('signin_failed', 72);
    await backdate('locked', 72);
    await backdate('signin_succeeded', 24 * 40);

    const { status, body } = await http.get('/stats/overview', owner);
    expect(status).toBe(200);
    const day = body.sign_ins.last_30d;
    const hour = body.sign_ins.last_24h;
    expect(hour.buckets).toHaveLength(24);
    expect(day.buckets).toHaveLength(30);
    // owner, viewer, admin sign-ins (first test) + one more viewer sign-in, + one 5 h ago
    expect(hour).toMatchObject({ succeeded: 5, failed: 4, lockouts: 1 });
    expect(day).toMatchObject({ succeeded: 5, failed: 5, lockouts: 2 });
    // The totals are the sums of the buckets; the 5-hours-ago failure is in the bucket 5 hours back
    // (or 6, when the hour turned between the insert and the query).
    const sum = (bs: { failed: number }[]) => bs.reduce((n, b) => n + b.failed, 0);
    expect(sum(hour.buckets)).toBe(hour.failed);
    expect(sum(day.buckets)).toBe(day.failed);
    const fiveBack = hour.buckets.slice(-7, -5).reduce((n: number, b: { failed: number }) => n + b.failed, 0);
    expect(fiveBack).toBe(1);
    // Buckets are consecutive UTC hours / days, oldest first, the last one holding now.
    const starts = hour.buckets.map((b: { start: string }) => Date.parse(b.start));
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(3600_000);
    expect(Date.now() - starts[23]).toBeLessThan(3600_000 + 60_000);
    expect(day.buckets[29].start).toBe(
      `${new Date(body.generated_at).toISOString().slice(0, 10)}T00:00:00.000Z`,
    );
  });

  it('counts accounts by role and status and new accounts per day, matching the users table', async () => {
    const list = await http.get('/users?status=all&limit=100', owner);
    expect(
      (
        await http.post(
          `/users/${list.body.users.find((u: { credentials: { username: string } }) => u.credentials.username === 'user_ov_viewer').id}/disable`,
          undefined,
          owner,
        )
      ).status,
    ).toBe(200);
    await db.query(
      `update users set created_at = now() - interval '10 days' where username = 'user_ov_admin'`,
    );
    const { body } = await http.get('/stats/overview', owner);
    expect(body.users.total).toBe(list.body.total);
    expect(body.users.by_role).toEqual({ viewer: 1, admin: 1, owner: 1 });
    expect(body.users.by_status).toEqual({ enabled: 2, disabled: 1 });
    expect(body.users.by_role_status).toEqual(
      expect.arrayContaining([{ role: 'viewer', status: 'disabled', count: 1 }]),
    );
    expect(body.new_users.last_30d).toBe(3);
    expect(body.new_users.buckets).toHaveLength(30);
    expect(body.new_users.buckets[29].count).toBe(2);
    expect(body.new_users.buckets[19].count).toBe(1);
  });

  it('lists the newest security events and never a secret', async () => {
    const { body, text } = await http.get('/stats/overview', owner);
    const types = body.security_events.map((e: { type: string }) => e.type);
    expect(types.length).toBeGreaterThan(0);
    expect(types.length).toBeLessThanOrEqual(10);
    expect(types).toContain('user_disabled');
    expect(types).toContain('locked');
    expect(types).not.toContain('signin_succeeded');
    const times = body.security_events.map((e: { occurred_at: string }) => Date.parse(e.occurred_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(text).not.toMatch(/secret-ov_|wrong-one|\$2[aby]\$/);
  });
});
