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
});
