import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// The walking skeleton end to end: users HTTP -> auth gRPC (own process) -> PostgreSQL (+ NATS).
describe('register, sign in, profile, refresh', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('registers a user, signs in, reads the profile, refreshes, and revokes the session on refresh-token reuse', async () => {
    const created = await http.post('/users', newUserBody('flow'));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/users/${created.body.id}`);
    expect(created.body).toMatchObject({
      first_name: 'Test',
      last_name: 'User flow',
      email: 'user-flow@example.com',
      credentials: { username: 'user_flow' },
      role: 'viewer',
      status: 'enabled',
      tags: ['test'],
      metadata: { team: 'qa' },
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.text).not.toContain('secret-flow-long');
    expect(created.body.credentials).not.toHaveProperty('secret');

    // Identity may be the email or the username.
    const byEmail = await http.post('/users/tokens/issue', {
      identity: 'user-flow@example.com',
      secret: 'secret-flow-long',
    });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      access_type: 'Bearer',
    });
    const pair = await http.signIn('user_flow', 'secret-flow-long');

    const profile = await http.get('/users/profile', pair.access_token);
    expect(profile.status).toBe(200);
    expect(profile.body.id).toBe(created.body.id);
    expect(profile.text).not.toMatch(/secret/);

    // Refresh: a new pair; the new access token works.
    const refreshed = await http.post('/users/tokens/refresh', undefined, pair.refresh_token);
    expect(refreshed.status).toBe(201);
    expect(refreshed.body.refresh_token).not.toBe(pair.refresh_token);
    expect(refreshed.body.access_token).not.toBe(pair.access_token);
    expect((await http.get('/users/profile', refreshed.body.access_token)).status).toBe(200);

    // Reuse of the spent refresh token: refused, and the whole session is gone.
    const reuse = await http.post('/users/tokens/refresh', undefined, pair.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ error: 'unauthenticated' });
    expect((await http.get('/users/profile', refreshed.body.access_token)).status).toBe(401);
    expect((await http.post('/users/tokens/refresh', undefined, refreshed.body.refresh_token)).status).toBe(
      401,
    );

    // The byEmail session is another session: still live.
    expect((await http.get('/users/profile', byEmail.body.access_token)).status).toBe(200);
  });

  it('creates the default owner at startup, who can view any user', async () => {
    const owner = await http.signIn(OWNER.username, OWNER.password);
    const profile = await http.get('/users/profile', owner.access_token);
    expect(profile.body).toMatchObject({ email: OWNER.email, role: 'owner', status: 'enabled' });
    const someone = await http.post('/users', newUserBody('viewed'));
    const seen = await http.get(`/users/${someone.body.id}`, owner.access_token);
    expect(seen.status).toBe(200);
    expect(seen.body.email).toBe('user-viewed@example.com');
  });

  it('lets an admin create users with roles up to their own, and a self-registered user stays a viewer', async () => {
    const owner = await http.signIn(OWNER.email, OWNER.password);
    const admin = await http.post('/users', newUserBody('admin1', { role: 'admin' }), owner.access_token);
    expect(admin.status).toBe(201);
    expect(admin.body.role).toBe('admin');
    const adminToken = (await http.signIn('user_admin1', 'secret-admin1-long')).access_token;
    const byLevel = await http.post('/users', newUserBody('editor1', { role: 1 }), adminToken);
    expect(byLevel.body.role).toBe('editor');
    const tooHigh = await http.post('/users', newUserBody('owner2', { role: 'owner' }), adminToken);
    expect(tooHigh.status).toBe(403);
    const selfMade = await http.post('/users', newUserBody('sneaky', { role: 'owner', status: 'disabled' }));
    expect(selfMade.status).toBe(201);
    expect(selfMade.body).toMatchObject({ role: 'viewer', status: 'enabled' });
  });

  it('answers /health with the seed shape and exposes metrics', async () => {
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toContain('application/health+json');
    expect(health.body).toEqual({
      status: 'pass',
      version: expect.any(String),
      commit: expect.any(String),
      description: 'users service',
      build_time: expect.any(String),
      instance_id: expect.any(String),
    });
    const metrics = await fetch(`${users.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('usher_http_requests_total');
    expect(metrics).toContain('usher_users_calls_total{method="register",outcome="ok"');
  });
});
