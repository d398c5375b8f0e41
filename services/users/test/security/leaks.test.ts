import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';

// Promises: what a viewer may not read, it cannot learn by filtering or counting either.
describe('security: leaks', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let viewer: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    expect((await http.post('/users', newUserBody('peek'), owner)).status).toBe(201);
    expect((await http.post('/users', newUserBody('secretive'), owner)).status).toBe(201);
    viewer = (await http.signIn('user_peek', 'secret-peek-long')).access_token;
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('GET /users/search refuses the email filter in the public scope (400 naming email); admins keep it', async () => {
    const res = await http.get('/users/search?email=user-sec', viewer);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: expect.stringMatching(/^email: /) });
    // the other filters still work for a viewer
    expect((await http.get('/users/search?username=user_sec', viewer)).status).toBe(200);
    const full = await http.get('/users/search?email=user-secretive', owner);
    expect(full.status).toBe(200);
    expect(full.body.total).toBe(1);
  }, 60_000);

  describe('X-Forwarded-For', () => {
    /** Signs in with a forged X-Forwarded-For and reads the IP the audit log recorded for it. */
    async function recordedIp(target: UsersInstance, name: string): Promise<string> {
      const client = api(target.url);
      const boss = (await client.signIn(OWNER.username, OWNER.password)).access_token;
      const created = await client.post('/users', newUserBody(name), boss);
      expect(created.status).toBe(201);
      const res = await fetch(`${target.url}/users/tokens/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ identity: `user_${name}`, secret: 'not-the-secret' }),
      });
      expect(res.status).toBe(401);
      const log = await client.get(`/audit?user_id=${created.body.id}&type=signin_failed`, boss);
      expect(log.body.events).toHaveLength(1);
      return log.body.events[0].ip;
    }

    it('is ignored from a peer that is not a trusted proxy (USHER_TRUSTED_PROXIES)', async () => {
      const strict = await startUsers(auth.address, { USHER_TRUSTED_PROXIES: '10.20.30.0/24' });
      try {
        expect(await recordedIp(strict, 'xff')).toMatch(/127\.0\.0\.1/);
      } finally {
        await strict.stop();
      }
    }, 120_000);

    it('is believed from a trusted proxy (the default: loopback)', async () => {
      expect(await recordedIp(users, 'xffok')).toBe('203.0.113.7');
    }, 60_000);
  });
});
