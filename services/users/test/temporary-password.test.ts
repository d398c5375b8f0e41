import { waitFor } from '@usher/testkit';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('temporary passwords', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let admin: string;
  const ids: Record<string, string> = {};

  const create = async (n: string, role = 'viewer') => {
    const res = await http.post('/users', newUserBody(n, { role }), owner);
    expect(res.status).toBe(201);
    ids[n] = res.body.id;
  };

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    await create('tadmin', 'admin');
    await create('tadmin2', 'admin');
    await create('temp1');
    admin = (await http.signIn('user_tadmin', 'secret-tadmin-long')).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('gives a one-time password whose session may only change it', async () => {
    const before = (await http.signIn('user_temp1', 'secret-temp1-long')).access_token;
    const key = await http.post('/users/keys', { name: 'ci' }, before);
    expect(key.status).toBe(201);

    const res = await http.post(`/users/${ids.temp1}/temporary-password`, undefined, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const temporary = res.body.temporary_password as string;
    expect(temporary.length).toBeGreaterThanOrEqual(20);

    // The old password and the old sessions are gone.
    expect(
      (await http.post('/users/tokens/issue', { identity: 'user_temp1', secret: 'secret-temp1-long' }))
        .status,
    ).toBe(401);
    await waitFor(async () => (await http.get('/users/profile', before)).status === 401, 3000);

    const restricted = (await http.signIn('user_temp1', temporary)).access_token;
    const refused: Record<string, unknown> = {};
    for (const [method, url, body] of [
      ['get', '/users/profile'],
      ['get', `/users/${ids.temp1}`],
      ['patch', `/users/${ids.temp1}`, { first_name: 'X' }],
      ['get', '/users/search?username=temp'],
      ['get', '/users?limit=1'],
      ['get', '/users/sessions'],
      ['get', `/users/${ids.temp1}/sessions`],
      ['get', '/users/keys'],
      ['post', '/users/keys', { name: 'sneaky' }],
      ['post', '/users/send-verification'],
      ['get', '/users/invitations'],
      ['get', '/audit'],
    ] as [string, string, unknown?][]) {
      const r =
        method === 'get'
          ? await http.get(url, restricted)
          : method === 'post'
            ? await http.post(url, body, restricted)
            : await http.patch(url, body, restricted);
      if (r.status !== 403 || r.body.error !== 'password_change_required')
        refused[`${method} ${url}`] = r.status;
    }
    expect(refused).toEqual({});
    // A temporary password is a recovery: API keys end too (test/security/recovery.test.ts).
    await waitFor(async () => (await http.get('/users/profile', key.body.key)).status === 401, 3000);

    const changed = await http.patch(
      '/users/secret',
      { old_secret: temporary, new_secret: 'my-own-secret-1' },
      restricted,
    );
    expect(changed.status).toBe(200);
    const fresh = (await http.signIn('user_temp1', 'my-own-secret-1')).access_token;
    expect((await http.get('/users/profile', fresh)).status).toBe(200);
    expect((await http.get('/users/sessions', fresh)).status).toBe(200);

    const audit = (await http.get(`/audit?limit=50&type=temporary_password_set&user_id=${ids.temp1}`, owner))
      .body;
    expect(audit.total).toBe(1);
    expect(JSON.stringify(audit)).not.toContain(temporary);
  });

  it('a session of the temporary password may sign out', async () => {
    const res = await http.post(`/users/${ids.temp1}/temporary-password`, undefined, owner);
    const restricted = (await http.signIn('user_temp1', res.body.temporary_password)).access_token;
    expect((await http.post('/users/tokens/revoke', undefined, restricted)).status).toBe(204);
  });

  it('only for users the caller manages, never oneself', async () => {
    expect((await http.post(`/users/${ids.tadmin2}/temporary-password`, undefined, admin)).status).toBe(403);
    expect((await http.post(`/users/${ids.tadmin}/temporary-password`, undefined, admin)).status).toBe(403);
    await create('temp3');
    const viewer = (await http.signIn('user_temp3', 'secret-temp3-long')).access_token;
    expect((await http.post(`/users/${ids.temp1}/temporary-password`, undefined, viewer)).status).toBe(403);
    expect(
      (await http.post('/users/00000000-0000-4000-8000-000000000001/temporary-password', undefined, admin))
        .status,
    ).toBe(404);
    expect((await http.post('/users/not-a-uuid/temporary-password', undefined, admin)).status).toBe(400);
    expect((await http.post(`/users/${ids.tadmin2}/temporary-password`, undefined, owner)).status).toBe(200);
  });
});
