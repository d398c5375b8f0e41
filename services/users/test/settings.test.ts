import { AuthenticationSetting } from '../src/domain/settings';
import type { Transactor } from '../src/postgres/tx';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('GET/PUT /settings/authentication', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let admin: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    expect((await http.post('/users', newUserBody('sadmin', { role: 'admin' }), owner)).status).toBe(201);
    admin = (await http.signIn('user_sadmin', 'secret-sadmin-long')).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('switches authentication off and on at run time (owners), audited', async () => {
    expect((await http.get('/settings/authentication', owner)).body).toEqual({
      required: true,
      default: true,
    });
    expect((await http.get('/settings/authentication', admin)).status).toBe(200);
    expect((await http.put('/settings/authentication', { required: false }, admin)).status).toBe(403);
    expect((await http.get('/settings/authentication')).status).toBe(401);
    expect((await http.get('/users/profile')).status).toBe(401);

    const off = await http.put('/settings/authentication', { required: false }, owner);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ required: false, default: true, updated_by: expect.any(String) });
    const anonymous = await http.get('/users/profile');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.email).toBe(OWNER.email);
    expect(anonymous.headers.get('warning')).toMatch(/authentication is disabled/);

    // Anonymous requests act as the owner now: they may switch it back on.
    expect((await http.put('/settings/authentication', { required: true })).body.required).toBe(true);
    expect((await http.get('/users/profile')).status).toBe(401);
    expect((await http.get('/users/profile', owner)).headers.get('warning')).toBeNull();

    const audit = await http.get('/audit?type=settings_changed', owner);
    expect(audit.body.events.map((e: { details: unknown }) => e.details)).toEqual([
      { authentication_required: { old: false, new: true } },
      { authentication_required: { old: true, new: false } },
    ]);
    expect((await http.put('/settings/authentication', { required: 'no' }, owner)).status).toBe(400);
  });

  it('is always required in production, and cannot be turned off there', async () => {
    const tx = {
      manager: () => {
        throw new Error('no database in this test');
      },
    } as unknown as Transactor;
    const setting = new AuthenticationSetting(tx, { default: true, production: true });
    await expect(setting.required()).resolves.toBe(true);
    const ctx = {
      caller: { userId: 'x', role: 'owner' as const, sessionId: 's', verified: true },
      client: { ip: '', userAgent: '' },
    };
    await expect(setting.set(ctx, false)).rejects.toThrow(/cannot be disabled when NODE_ENV=production/);
  });
});
