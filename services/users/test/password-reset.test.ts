import { waitFor } from '@usher/testkit';
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
import { linkOf, sleep, SmtpSink, tokenOf, until } from './smtp';

// Password reset by email, end to end: a real SMTP server receives the mail, the test follows its link.
describe('password reset by email', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let smtp: SmtpSink;
  let http: ReturnType<typeof api>;
  let owner: string;

  const RESET_PREFIX = 'http://reset.example.test/password/reset';

  const createUser = async (n: string) => {
    const res = await http.post('/users', newUserBody(n), owner);
    expect(res.status).toBe(201);
    return res.body as { id: string; email: string };
  };
  const resetRequest = async (email: string) => {
    const started = Date.now();
    const res = await http.post('/password/reset-request', { email });
    return { ...res, ms: Date.now() - started };
  };
  const auditOf = async (type: string, userId?: string) =>
    (await http.get(`/audit?limit=100&type=${type}${userId ? `&user_id=${userId}` : ''}`, owner)).body
      .events as {
      details: Record<string, unknown>;
      target_id?: string;
    }[];

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { ...smtp.env(), USHER_PASSWORD_RESET_URL_PREFIX: RESET_PREFIX });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('mails a single-use link that sets a new password, ends every session and is audited', async () => {
    const user = await createUser('reset1');
    const before = [
      await http.signIn('user_reset1', 'secret-reset1-long'),
      await http.signIn('user_reset1', 'secret-reset1-long'),
    ];

    const res = await resetRequest(user.email.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ msg: 'Email with reset link is sent' });

    const mail = await smtp.waitFor(user.email);
    expect(mail.from).toBe('usher@example.com');
    expect(mail.subject).toMatch(/reset/i);
    const link = linkOf(mail);
    expect(`${link.origin}${link.pathname}`).toBe(RESET_PREFIX);
    const token = tokenOf(mail);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(mail.html).toContain(`href="${link.toString()}"`);
    expect(mail.text).toContain('5 minutes');

    await expectRefusedElsewhere(http, token, 'reset');

    const mismatch = await http.put('/password/reset', {
      token,
      password: 'new-secret-123',
      confirm_password: 'other-123',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toMatch(/confirm_password/);
    const weak = await http.put('/password/reset', { token, password: 'short', confirm_password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/^password: /);

    const done = await http.put('/password/reset', {
      token,
      password: 'new-secret-123',
      confirm_password: 'new-secret-123',
    });
    expect(done.status).toBe(201);

    // Single use: the same token again is refused, and no route accepts it any more.
    const again = await http.put('/password/reset', {
      token,
      password: 'other-secret-123',
      confirm_password: 'other-secret-123',
    });
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('unauthenticated');

    expect(
      (await http.post('/users/tokens/issue', { identity: 'user_reset1', secret: 'secret-reset1-long' }))
        .status,
    ).toBe(401);
    await http.signIn('user_reset1', 'new-secret-123');
    for (const pair of before) {
      await waitFor(async () => (await http.get('/users/profile', pair.access_token)).status === 401, 3000);
      expect((await http.post('/users/tokens/refresh', undefined, pair.refresh_token)).status).toBe(401);
    }

    const resets = await auditOf('password_reset', user.id);
    expect(resets).toHaveLength(1);
    expect(resets[0]!.details.sessions_revoked).toBeGreaterThanOrEqual(2);
    expect(await auditOf('password_reset_requested', user.id)).toHaveLength(1);
    // The link, then the notice that the password changed (test/security/recovery.test.ts).
    const sent = await until(async () => {
      const events = await auditOf('mail_sent', user.id);
      return events.length === 2 && events;
    });
    expect(sent.map((e) => e.details.kind).sort()).toEqual(['password_reset', 'security_notice']);
    expect(sent.find((e) => e.details.kind === 'password_reset')!.details).toMatchObject({
      transport: 'smtp',
    });
    // Audit entries never carry the token or the link.
    const everything = JSON.stringify((await http.get('/audit?limit=100', owner)).body);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(RESET_PREFIX);
  });

  it('a newer reset link replaces the older one', async () => {
    const user = await createUser('reset2');
    await resetRequest(user.email);
    const first = tokenOf(await smtp.waitFor(user.email, 1));
    await resetRequest(user.email);
    const second = tokenOf(await smtp.waitFor(user.email, 2));
    expect(second).not.toBe(first);
    expect(
      (
        await http.put('/password/reset', {
          token: first,
          password: 'new-secret-234',
          confirm_password: 'new-secret-234',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await http.put('/password/reset', {
          token: second,
          password: 'new-secret-234',
          confirm_password: 'new-secret-234',
        })
      ).status,
    ).toBe(201);
  });

  it('answers a missing account exactly as an existing one, in the same time, and mails nothing', async () => {
    const user = await createUser('reset3');
    const missing = 'nobody-here@example.com';
    const times: Record<'known' | 'missing', number[]> = { known: [], missing: [] };
    for (let i = 0; i < 4; i++) {
      for (const [kind, email] of [
        ['known', user.email],
        ['missing', missing],
      ] as const) {
        const res = await resetRequest(email);
        expect({ status: res.status, body: res.body }).toEqual({
          status: 201,
          body: { msg: 'Email with reset link is sent' },
        });
        times[kind].push(res.ms);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both wait for the same floor (250 ms); the queued mail's work hides inside it.
    expect(median(times.known)).toBeGreaterThanOrEqual(240);
    expect(median(times.missing)).toBeGreaterThanOrEqual(240);
    expect(Math.abs(median(times.known) - median(times.missing))).toBeLessThan(120);

    await smtp.waitFor(user.email, 4);
    await sleep(500);
    expect(smtp.to(missing)).toHaveLength(0);
    const audits = await auditOf('password_reset_requested');
    expect(audits.some((a) => a.details.reason === 'no_account' && a.details.email === missing)).toBe(true);
  });

  it('keeps a mail through an SMTP outage and delivers it when the server returns, without slowing the request', async () => {
    const user = await createUser('reset4');
    await smtp.stop();
    const res = await resetRequest(user.email);
    expect(res.status).toBe(201);
    expect(res.ms).toBeLessThan(1500);

    // The sender tried, failed, and keeps the mail for a retry.
    const failed = await until(async () => {
      const events = await auditOf('mail_failed', user.id);
      return events.length > 0 && events;
    }, 10_000);
    expect(failed[0]!.details).toMatchObject({ kind: 'password_reset', will_retry: true });
    expect(smtp.to(user.email)).toHaveLength(0);

    await smtp.start(); // the same port
    const mail = await smtp.waitFor(user.email, 1, 15_000);
    const token = tokenOf(mail);
    expect(JSON.stringify(failed)).not.toContain(token);
    expect(
      (
        await http.put('/password/reset', {
          token,
          password: 'after-outage-1',
          confirm_password: 'after-outage-1',
        })
      ).status,
    ).toBe(201);
    await http.signIn('user_reset4', 'after-outage-1');
  });

  it('refuses a malformed body or address with 400, the same for every address', async () => {
    expect((await http.post('/password/reset-request', { email: 'not-an-email' })).status).toBe(400);
    expect((await http.post('/password/reset-request', {})).status).toBe(400);
    expect((await http.put('/password/reset', { password: 'x', confirm_password: 'x' })).status).toBe(400);
  });
});
