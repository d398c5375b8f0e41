import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('USHER_USERS_ALLOW_SELF_REGISTER=false', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_USERS_ALLOW_SELF_REGISTER: 'false' });
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('refuses anonymous sign-up with 401 and a viewer with 403; an admin still creates users', async () => {
    const anonymous = await http.post('/users', newUserBody('anon'));
    expect(anonymous.status).toBe(401);
    const owner = (await http.signIn(OWNER.email, OWNER.password)).access_token;
    const viewer = await http.post('/users', newUserBody('viewer1'), owner);
    expect(viewer.status).toBe(201);
    const viewerToken = (await http.signIn('user_viewer1', 'secret-viewer1-long')).access_token;
    expect((await http.post('/users', newUserBody('friend'), viewerToken)).status).toBe(403);
    const editor = await http.post('/users', newUserBody('editor1', { role: 'editor' }), owner);
    expect(editor.status).toBe(201);
    expect(editor.body.role).toBe('editor');
  });
});
