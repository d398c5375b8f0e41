import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { sleep, SmtpSink, tokenOf, until } from './smtp';

// Every mailed link with a short life (1 s): followed too late, it is refused.
describe('mailed links expire', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let smtp: SmtpSink;
  let http: ReturnType<typeof api>;
  let owner: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    users = await startUsers(auth.address, {
      ...smtp.env(),
      USHER_RECOVERY_TOKEN_DURATION: '1s',
      USHER_VERIFICATION_TOKEN_DURATION: '1s',
      USHER_INVITATION_DURATION: '1s',
    });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    expect((await http.post('/users', newUserBody('exp1'), owner)).status).toBe(201);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('a password reset link', async () => {
    await http.post('/password/reset-request', { email: 'user-exp1@example.com' });
    const token = tokenOf(await smtp.waitFor('user-exp1@example.com'));
    await sleep(1200);
    const res = await http.put('/password/reset', {
      token,
      password: 'late-secret-1',
      confirm_password: 'late-secret-1',
    });
    expect(res.status).toBe(401);
    await http.signIn('user_exp1', 'secret-exp1-long');
  });

  it('a verification link', async () => {
    const token = (await http.signIn('user_exp1', 'secret-exp1-long')).access_token;
    expect((await http.post('/users/send-verification', undefined, token)).status).toBe(200);
    const link = tokenOf(await smtp.waitFor('user-exp1@example.com', 2));
    await sleep(1200);
    expect((await http.get(`/verify-email?token=${link}`)).status).toBe(401);
    expect((await http.get('/users/profile', token)).body.verified_at).toBeUndefined();
  });

  it('an invitation: its link, and the invitation itself', async () => {
    const created = await http.post('/users/invitations', { email: 'late@example.com' }, owner);
    expect(created.status).toBe(201);
    const token = tokenOf(await smtp.waitFor('late@example.com'));
    await sleep(1200);
    const res = await http.post('/users/invitations/accept', {
      token,
      username: 'late_user',
      password: 'late-secret-1',
    });
    expect(res.status).toBe(401);
    expect((await http.get('/users/invitations', owner)).body.invitations).toEqual([]);
    // An expired invitation no longer holds the address.
    expect((await http.post('/users/invitations', { email: 'late@example.com' }, owner)).status).toBe(201);
  });

  it('a mail that could not be delivered before its link expired is dropped, not sent late', async () => {
    await smtp.stop();
    await http.post('/password/reset-request', { email: 'user-exp1@example.com' });
    const before = smtp.to('user-exp1@example.com').length;
    const abandoned = await until(async () => {
      const events = (await http.get('/audit?limit=50&type=mail_failed', owner)).body.events as {
        details: { will_retry: boolean; kind: string };
      }[];
      return events.find((e) => e.details.kind === 'password_reset' && !e.details.will_retry);
    }, 10_000);
    expect(abandoned).toBeDefined();
    await smtp.start();
    await sleep(1000);
    expect(smtp.to('user-exp1@example.com')).toHaveLength(before);
  });
});
