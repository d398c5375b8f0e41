import { waitFor } from '@usher/testkit';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';
import { SmtpSink, tokenOf, type ReceivedMail } from '../smtp';

// Recovery hands the account back to whoever reads its mail (reset) or to an admin (temporary
// password, set-secret): whoever held it before keeps no way in, API keys included, and the owner
// is told by mail, never the password.

jest.setTimeout(120_000);

describe('recovery ends every way in and tells the owner', () => {
  let smtp: SmtpSink;
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;

  /** A user with a session and an API key, as an attacker who had the password would hold them. */
  async function heldAccount(n: string) {
    const made = await http.post('/users', newUserBody(n), owner);
    expect(made.status).toBe(201);
    const session = await http.signIn(`user_${n}`, `secret-${n}-long`);
    const key = await http.post('/users/keys', { name: 'kept' }, session.access_token);
    expect(key.status).toBe(201);
    expect((await http.get('/users/profile', key.body.key)).status).toBe(200);
    return {
      id: made.body.id as string,
      email: `user-${n}@example.com`,
      session,
      key: key.body.key as string,
    };
  }

  /** Neither the old session nor the API key is accepted any more (revocation reaches within 1 s). */
  async function expectLockedOut(held: Awaited<ReturnType<typeof heldAccount>>) {
    await waitFor(async () => (await http.get('/users/profile', held.key)).status === 401, 5_000);
    await waitFor(
      async () => (await http.get('/users/profile', held.session.access_token)).status === 401,
      5_000,
    );
    expect((await http.post('/users/tokens/refresh', undefined, held.session.refresh_token)).status).toBe(
      401,
    );
  }

  /** The "password changed" notice: to the account's address, no password, no link. */
  async function expectNotice(to: string, n: number, password: string): Promise<ReceivedMail> {
    const mail = await waitFor(
      async () => smtp.to(to).find((m) => m.subject === 'Your password was changed'),
      10_000,
    ).then(() => smtp.to(to).filter((m) => m.subject === 'Your password was changed')[n - 1]!);
    expect(mail.text).not.toContain(password);
    expect(mail.html).not.toContain(password);
    expect(mail.text).not.toMatch(/https?:\/\//);
    return mail;
  }

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    users = await startUsers(auth.address, smtp.env());
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('a password reset revokes the API keys as well as the sessions, and mails a notice', async () => {
    const held = await heldAccount('rec_reset');
    expect((await http.post('/password/reset-request', { email: held.email })).status).toBe(201);
    const token = tokenOf(await smtp.waitFor(held.email));
    const password = 'taken-back-secret-1';
    const reset = await http.put('/password/reset', { token, password, confirm_password: password });
    expect(reset.status).toBe(201);
    await expectLockedOut(held);
    const notice = await expectNotice(held.email, 1, password);
    expect(notice.text).toContain('password reset link');
    // Reading the mail proved the address: the account is verified now.
    const me = await http.get('/users/profile', (await http.signIn(held.email, password)).access_token);
    expect(me.body.verified_at).toBeTruthy();
  });

  it('a temporary password revokes the API keys as well as the sessions, and mails a notice', async () => {
    const held = await heldAccount('rec_temp');
    const res = await http.post(`/users/${held.id}/temporary-password`, undefined, owner);
    expect(res.status).toBe(200);
    await expectLockedOut(held);
    await expectNotice(held.email, 1, res.body.temporary_password);
  });

  it('an admin setting the secret revokes the API keys as well as the sessions, and mails a notice', async () => {
    const held = await heldAccount('rec_admin');
    const res = await http.patch(`/users/${held.id}/secret`, { new_secret: 'admin-chosen-secret-1' }, owner);
    expect(res.status).toBe(200);
    await expectLockedOut(held);
    await expectNotice(held.email, 1, 'admin-chosen-secret-1');
  });
});
