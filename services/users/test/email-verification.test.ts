import { expectRefusedElsewhere } from './email-tokens';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { linkOf, SmtpSink, tokenOf } from './smtp';

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

// Email verification with unverified users refused (USHER_USERS_ALLOW_UNVERIFIED_USER=false).
describe('email verification', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let smtp: SmtpSink;
  let http: ReturnType<typeof api>;
  let owner: string;

  const VERIFY_PREFIX = 'https://app.example.test/verify-email?from=mail';

  const signUp = async (n: string) => {
    const res = await http.post('/users', newUserBody(n));
    expect(res.status).toBe(201);
    expect(res.body.verified_at).toBeUndefined();
    return res.body as { id: string; email: string };
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    users = await startUsers(auth.address, {
      ...smtp.env(),
      USHER_USERS_ALLOW_UNVERIFIED_USER: 'false',
      USHER_VERIFICATION_URL_PREFIX: VERIFY_PREFIX,
    });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('the configured owner is verified and reaches everything', async () => {
    expect((await http.get('/users/profile', owner)).body.verified_at).toEqual(expect.any(String));
    expect((await http.get('/users?limit=1', owner)).status).toBe(200);
    expect(claims(owner).verified).toBe(true);
  });

  it('an unverified user reaches only the profile and verification until the mailed link is followed', async () => {
    const user = await signUp('ver1');
    const token = (await http.signIn('user_ver1', 'secret-ver1-long')).access_token;
    expect(claims(token).verified).toBe(false);

    expect((await http.get('/users/profile', token)).status).toBe(200);
    for (const [method, url, body] of [
      ['get', '/users/search?username=ver', undefined],
      ['get', `/users/${user.id}`, undefined],
      ['get', '/users/sessions', undefined],
      ['get', '/users/keys', undefined],
      ['post', '/users/keys', { name: 'k' }],
      ['patch', `/users/${user.id}`, { first_name: 'X' }],
    ] as const) {
      const res =
        method === 'get'
          ? await http.get(url, token)
          : method === 'post'
            ? await http.post(url, body, token)
            : await http.patch(url, body, token);
      expect({ url, status: res.status, error: res.body.error }).toEqual({
        url,
        status: 403,
        error: 'email_not_verified',
      });
    }

    const sent = await http.post('/users/send-verification', undefined, token);
    // 200 with no body: what Magistrala's SDK expects.
    expect(sent.status).toBe(200);
    expect(sent.text).toBe('');
    const mail = await smtp.waitFor(user.email);
    const link = linkOf(mail);
    expect(`${link.origin}${link.pathname}`).toBe('https://app.example.test/verify-email');
    expect(link.searchParams.get('from')).toBe('mail'); // the prefix's own query is kept
    expect(mail.html).toContain(link.toString().replace(/&/g, '&amp;'));
    const verification = tokenOf(mail);

    await expectRefusedElsewhere(http, verification, 'verify');

    const verified = await http.get(`/verify-email?token=${verification}`);
    expect(verified.status).toBe(200);
    expect(verified.headers.get('cache-control')).toBe('no-store');
    // Single use.
    expect((await http.get(`/verify-email?token=${verification}`)).status).toBe(401);

    // The same session now gets through (the state is read from the database), and new tokens say so.
    expect((await http.get('/users/sessions', token)).status).toBe(200);
    const profile = (await http.get('/users/profile', token)).body;
    expect(profile.verified_at).toEqual(expect.any(String));
    expect(claims((await http.signIn('user_ver1', 'secret-ver1-long')).access_token).verified).toBe(true);
    expect((await http.post('/users/send-verification', undefined, token)).status).toBe(409);

    const audit = (await http.get(`/audit?limit=50&user_id=${user.id}`, owner)).body.events as {
      type: string;
    }[];
    expect(audit.map((e) => e.type)).toEqual(
      expect.arrayContaining(['verification_sent', 'email_verified', 'mail_sent']),
    );
    expect(JSON.stringify(audit)).not.toContain(verification);
  });

  it('a newer link replaces an older one, and a link verifies only the address it was sent to', async () => {
    const user = await signUp('ver2');
    const token = (await http.signIn('user_ver2', 'secret-ver2-long')).access_token;
    await http.post('/users/send-verification', undefined, token);
    const first = tokenOf(await smtp.waitFor(user.email, 1));
    await http.post('/users/send-verification', undefined, token);
    const second = tokenOf(await smtp.waitFor(user.email, 2));
    expect((await http.get(`/verify-email?token=${first}`)).status).toBe(401);

    // The address changes before the link is followed: the link no longer vouches for the account.
    expect(
      (await http.patch(`/users/${user.id}/email`, { email: 'ver2-new@example.com' }, owner)).status,
    ).toBe(200);
    expect((await http.get(`/verify-email?token=${second}`)).status).toBe(401);

    await http.post('/users/send-verification', undefined, token);
    const third = tokenOf(await smtp.waitFor('ver2-new@example.com'));
    expect((await http.get(`/verify-email?token=${third}`)).status).toBe(200);
    expect((await http.get('/users/profile', token)).body.email).toBe('ver2-new@example.com');

    // Changing the address again makes the account unverified again.
    expect(
      (await http.patch(`/users/${user.id}/email`, { email: 'ver2-other@example.com' }, owner)).body
        .verified_at,
    ).toBeUndefined();
    expect((await http.get('/users/sessions', token)).body.error).toBe('email_not_verified');
  });

  it('refuses a missing or malformed token with 400 and an unknown one with 401', async () => {
    expect((await http.get('/verify-email')).status).toBe(400);
    expect((await http.get('/verify-email?token=abc&extra=1')).status).toBe(400);
    expect((await http.get('/verify-email?token=not-a-real-token')).status).toBe(401);
    expect((await http.post('/users/send-verification')).status).toBe(401);
  });
});
