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

describe('audit log', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let ownerId: string;
  let userId: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    ownerId = (await http.get('/users/profile', owner)).body.id;
    userId = (await http.post('/users', newUserBody('aud'))).body.id;
    await http.post('/users/tokens/issue', { identity: 'user_aud', secret: 'wrong-secret-1' });
    const pair = await http.signIn('user_aud', 'secret-aud-long');
    await http.post('/users/tokens/refresh', undefined, pair.refresh_token);
    await http.post('/users/tokens/refresh', undefined, pair.refresh_token); // reuse
    await http.patch(`/users/${userId}/role`, { role: 'editor' }, owner);
    await http.patch(`/users/${userId}/secret`, { new_secret: 'audited-secret-2' }, owner);
    await http.post(`/users/${userId}/disable`, undefined, owner);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('records security events with actor, target, IP, user agent, time and outcome', async () => {
    const res = await http.get(`/audit?user_id=${userId}&limit=100`, owner);
    expect(res.status).toBe(200);
    const types = res.body.events.map((e: { type: string }) => e.type);
    for (const t of [
      'user_created',
      'signin_failed',
      'signin_succeeded',
      'token_refreshed',
      'refresh_reuse_detected',
      'role_changed',
      'password_changed',
      'user_disabled',
    ]) {
      expect(types).toContain(t);
    }
    const role = res.body.events.find((e: { type: string }) => e.type === 'role_changed');
    expect(role).toMatchObject({
      outcome: 'success',
      actor_id: ownerId,
      target_id: userId,
      ip: expect.stringMatching(/127\.0\.0\.1/),
      details: { role: { old: 'viewer', new: 'editor' } },
    });
    expect(Date.parse(role.occurred_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.events.find((e: { type: string }) => e.type === 'signin_failed').outcome).toBe('failure');
  });

  it('filters by type and time, pages, and is for admins only', async () => {
    const failed = await http.get('/audit?type=signin_failed', owner);
    expect(failed.body.events.every((e: { type: string }) => e.type === 'signin_failed')).toBe(true);
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await http.get(`/audit?since=${future}`, owner)).body.total).toBe(0);
    expect((await http.get(`/audit?until=${future}&limit=1`, owner)).body.events).toHaveLength(1);
    expect((await http.get('/audit?type=nope', owner)).status).toBe(400);
    expect((await http.get('/audit?limit=0', owner)).status).toBe(400);
    await http.post('/users', newUserBody('peeker'));
    const viewer = (await http.signIn('user_peeker', 'secret-peeker-long')).access_token;
    expect((await http.get('/audit', viewer)).status).toBe(403);
  });

  it('never holds a secret', async () => {
    const db = new Client({ connectionString: users.db.url });
    await db.connect();
    try {
      const { rows } = await db.query('select row_to_json(a)::text as t from users.audit_log a');
      const all = rows.map((r) => r.t).join('\n');
      for (const secret of ['secret-aud-long', 'wrong-secret-1', 'audited-secret-2', OWNER.password]) {
        expect(all).not.toContain(secret);
      }
      expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
    } finally {
      await db.end();
    }
  });
});
