import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('sessions, sign-out and API keys', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  const signInAs = (identity: string, secret: string, userAgent: string) =>
    fetch(`${users.url}/users/tokens/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ identity, secret }),
    }).then((r) => r.json() as Promise<{ access_token: string; refresh_token: string }>);

  it("lists one's sessions with user agent, IP and times, and revokes one of them", async () => {
    await http.post('/users', newUserBody('sess'));
    const laptop = await signInAs('user_sess', 'secret-sess-long', 'Laptop/1.0');
    const phone = await signInAs('user_sess', 'secret-sess-long', 'Phone/2.0');
    const list = await http.get('/users/sessions', laptop.access_token);
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    const mine = list.body.sessions.find((s: { current: boolean }) => s.current);
    expect(mine).toMatchObject({
      user_agent: 'Laptop/1.0',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      method: 'password',
    });
    for (const s of list.body.sessions) {
      for (const f of ['created_at', 'last_used_at', 'expires_at']) expect(Date.parse(s[f])).not.toBeNaN();
    }
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect(other.user_agent).toBe('Phone/2.0');
    expect((await http.del(`/users/sessions/${other.id}`, laptop.access_token)).status).toBe(204);
    expect((await http.get('/users/profile', phone.access_token)).status).toBe(401);
    expect((await http.get('/users/profile', laptop.access_token)).status).toBe(200);
    expect(
      (await http.del('/users/sessions/00000000-0000-4000-8000-000000000000', laptop.access_token)).status,
    ).toBe(404);
  });

  it('signs out: the current token is refused afterwards', async () => {
    await http.post('/users', newUserBody('out'));
    const pair = await http.signIn('user_out', 'secret-out-long');
    expect((await http.post('/users/tokens/revoke', undefined, pair.access_token)).status).toBe(204);
    expect((await http.get('/users/profile', pair.access_token)).status).toBe(401);
    expect((await http.post('/users/tokens/refresh', undefined, pair.refresh_token)).status).toBe(401);
  });

  it('admins list and revoke the sessions of users they manage', async () => {
    const u = await http.post('/users', newUserBody('managed'));
    const pair = await http.signIn('user_managed', 'secret-managed-long');
    const seen = await http.get(`/users/${u.body.id}/sessions`, owner);
    expect(seen.body.sessions).toHaveLength(1);
    expect((await http.del(`/users/${u.body.id}/sessions`, owner)).status).toBe(204);
    expect((await http.get('/users/profile', pair.access_token)).status).toBe(401);
    expect((await http.get(`/users/${u.body.id}/sessions`, owner)).body.sessions).toHaveLength(0);
  });

  it('API keys: shown once, accepted as bearer tokens, listed without the secret, revoked', async () => {
    await http.post('/users', newUserBody('keys'));
    const token = (await http.signIn('user_keys', 'secret-keys-long')).access_token;
    const created = await http.post('/users/keys', { name: 'ci', expires_in: '720h' }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'ci',
      role: 'viewer',
      key: expect.any(String),
    });
    const expiresIn = Date.parse(created.body.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(719 * 3600_000);
    const key = created.body.key as string;
    const me = await http.get('/users/profile', key);
    expect(me.status).toBe(200);
    expect(me.body.credentials.username).toBe('user_keys');
    const listed = await http.get('/users/keys', token);
    expect(listed.body.keys).toHaveLength(1);
    expect(listed.text).not.toContain(key);
    expect((await http.post('/users/keys', { name: '' }, token)).status).toBe(400);
    expect((await http.post('/users/keys', { name: 'x', expires_in: 'soon' }, token)).status).toBe(400);
    expect((await http.del(`/users/keys/${created.body.id}`, token)).status).toBe(204);
    expect((await http.get('/users/profile', key)).status).toBe(401);
    expect((await http.del(`/users/keys/${created.body.id}`, token)).status).toBe(404);
  });

  it("a key carries its owner's role at most and dies with a disable or delete", async () => {
    const adminUser = await http.post('/users', newUserBody('keyadmin', { role: 'admin' }), owner);
    const adminToken = (await http.signIn('user_keyadmin', 'secret-keyadmin-long')).access_token;
    const key = (await http.post('/users/keys', { name: 'ops' }, adminToken)).body;
    expect(key.role).toBe('admin');
    expect((await http.get('/users', key.key)).status).toBe(200); // admin rights through the key
    await http.patch(`/users/${adminUser.body.id}/role`, { role: 'viewer' }, owner); // demoted
    expect((await http.get('/users', key.key)).status).toBe(401);

    await http.post('/users', newUserBody('keydis'));
    const t = (await http.signIn('user_keydis', 'secret-keydis-long')).access_token;
    const k2 = (await http.post('/users/keys', { name: 'k2' }, t)).body.key;
    const id = (await http.get('/users/profile', k2)).body.id;
    await http.post(`/users/${id}/disable`, undefined, owner);
    expect((await http.get('/users/profile', k2)).status).toBe(401);
  });
});
