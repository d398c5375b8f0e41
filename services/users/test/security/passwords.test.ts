import http from 'http';
import { createHash } from 'crypto';
import type { AddressInfo } from 'net';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';

const PWNED = 'unusual-but-pwned-9041';

/** A fake Have I Been Pwned range API: knows PWNED, records every path it is asked. */
async function fakeRangeServer() {
  const sha1 = createHash('sha1').update(PWNED).digest('hex').toUpperCase();
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
    if (!prefix) return void res.writeHead(404).end();
    const lines = ['0018A45C4D1DEF81644B54AB7F969B88D65:1', '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0'];
    if (prefix === sha1.slice(0, 5)) lines.push(`${sha1.slice(5)}:3`);
    res.setHeader('content-type', 'text/plain');
    res.end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Promise (NIST SP 800-63B): a chosen password is not a common or breached one and not the
// account's own email or username; each refusal is a 400 naming the field and the reason.
describe('security: weak and breached passwords', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let client: ReturnType<typeof api>;
  let owner: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    client = api(users.url);
    owner = (await client.signIn(OWNER.username, OWNER.password)).access_token;
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('registration refuses a commonly used password, naming the field', async () => {
    for (const secret of ['password1', 'qwertyuiop', 'Letmein123']) {
      const res = await client.post(
        '/users',
        newUserBody('common', { credentials: { username: 'user_common', secret } }),
      );
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        message: expect.stringMatching(/^credentials\.secret: is a commonly used password/),
      });
    }
  });

  it('registration refuses the email address or the username as the password', async () => {
    const byEmail = await client.post(
      '/users',
      newUserBody('mail', { credentials: { username: 'user_mail', secret: 'User-Mail@Example.com' } }),
    );
    expect(byEmail.status).toBe(400);
    expect(byEmail.body.message).toMatch(/^credentials\.secret: must not be the email address/);
    const byName = await client.post(
      '/users',
      newUserBody('name', { credentials: { username: 'user_name_long', secret: 'USER_NAME_LONG' } }),
    );
    expect(byName.status).toBe(400);
    expect(byName.body.message).toMatch(/^credentials\.secret: must not be the username/);
  });

  it('changing one’s own and an admin setting a secret refuse weak ones alike', async () => {
    const created = await client.post('/users', newUserBody('chg'));
    expect(created.status).toBe(201);
    const token = (await client.signIn('user_chg', 'secret-chg-long')).access_token;
    const own = await client.patch(
      '/users/secret',
      { old_secret: 'secret-chg-long', new_secret: 'password123' },
      token,
    );
    expect(own.status).toBe(400);
    expect(own.body.message).toMatch(/^new_secret: is a commonly used password/);
    const same = await client.patch(
      '/users/secret',
      { old_secret: 'secret-chg-long', new_secret: 'user_chg' },
      token,
    );
    expect(same.status).toBe(400);
    const admin = await client.patch(
      `/users/${created.body.id}/secret`,
      { new_secret: 'iloveyou123' },
      owner,
    );
    expect(admin.status).toBe(400);
    expect(admin.body.message).toMatch(/^new_secret: is a commonly used password/);
    // a good one still works
    expect(
      (
        await client.patch(
          '/users/secret',
          { old_secret: 'secret-chg-long', new_secret: 'plum-violin-orbit-77' },
          token,
        )
      ).status,
    ).toBe(200);
  });

  it('import refuses a common plaintext secret per row', async () => {
    const res = await client.post(
      '/users/import',
      {
        users: [
          { email: 'imp-weak@example.com', username: 'impweak', secret: 'password1' },
          { email: 'imp-ok@example.com', username: 'impok', secret: 'plum-violin-orbit-78' },
        ],
      },
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['invalid', 'created']);
    expect(res.body.results[0].message).toMatch(/^secret: is a commonly used password/);
  });

  describe('Have I Been Pwned range check (USHER_PASSWORD_BREACH_CHECK)', () => {
    it('refuses a breached password, sends only a 5-digit hash prefix, and fails open when unreachable', async () => {
      const fake = await fakeRangeServer();
      const checked = await startUsers(auth.address, {
        USHER_PASSWORD_BREACH_CHECK: 'true',
        USHER_PASSWORD_BREACH_CHECK_URL: fake.url,
        USHER_PASSWORD_BREACH_CHECK_TIMEOUT: '2s',
      });
      try {
        const c = api(checked.url);
        const pwned = await c.post(
          '/users',
          newUserBody('pwn', { credentials: { username: 'user_pwn', secret: PWNED } }),
        );
        expect(pwned.status).toBe(400);
        expect(pwned.body.message).toMatch(/^credentials\.secret: appears in a known data breach/);
        expect((await c.post('/users', newUserBody('clean'))).status).toBe(201);
        expect(fake.asked.length).toBeGreaterThanOrEqual(2);
        for (const path of fake.asked) expect(path).toMatch(/^\/range\/[0-9A-F]{5}$/);
        // unreachable: accepted on the other checks (with a warning in the log)
        await fake.close();
        expect((await c.post('/users', newUserBody('offline'))).status).toBe(201);
      } finally {
        await checked.stop();
        await fake.close().catch(() => undefined);
      }
    }, 120_000);
  });
});
