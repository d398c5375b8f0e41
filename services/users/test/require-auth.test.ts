import { loadUsersConfig } from '@usher/config';
import { createTestDatabase } from '@usher/testkit';
import { startUsersService } from '../src/app';
import { api, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';

describe('USHER_REQUIRE_AUTHENTICATION=0', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_REQUIRE_AUTHENTICATION: '0' });
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('lets requests without a token act as the owner, with a warning header on every response', async () => {
    const res = await http.get('/users');
    expect(res.status).toBe(200);
    expect(res.headers.get('warning')).toMatch(/authentication is disabled/);
    const me = await http.get('/users/profile');
    expect(me.body.role).toBe('owner');
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('warning')).toMatch(/authentication is disabled/);
    // A token, when sent, is still checked.
    expect((await http.get('/users/profile', 'garbage')).status).toBe(401);
  });

  it('is refused when NODE_ENV=production', async () => {
    const db = await createTestDatabase('prodcheck');
    try {
      const config = loadUsersConfig({
        USHER_DB_URL: db.url,
        USHER_REQUIRE_AUTHENTICATION: '0',
        NODE_ENV: 'production',
        USHER_USERS_HTTP_PORT: '1',
        USHER_USERS_LOG_LEVEL: 'silent',
      });
      await expect(startUsersService(config)).rejects.toThrow(
        /USHER_REQUIRE_AUTHENTICATION=0 is refused when NODE_ENV=production/,
      );
    } finally {
      await db.drop();
    }
  });
});
