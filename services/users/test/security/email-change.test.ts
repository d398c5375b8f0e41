import { waitFor } from '@usher/testkit';
import { Presence, RECENT_SIGN_IN_MS } from '../../src/domain/presence';
import type { AuthPort } from '../../src/ports';
import type { Ctx, SessionInfo } from '../../src/service';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from '../harness';
import { SmtpSink, tokenOf } from '../smtp';

// Changing one's own email moves where recovery mail goes, so it needs proof of presence, tells
// the old address, voids links mailed to it, and leaves the account unverified until the new
// address is verified (refresh included).

jest.setTimeout(120_000);

const NOTICE = 'The email address of your account was changed';

describe('email change', () => {
  let smtp: SmtpSink;
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;

  async function user(n: string) {
    const made = await http.post('/users', newUserBody(n), owner);
    expect(made.status).toBe(201);
    return { id: made.body.id as string, email: `user-${n}@example.com`, secret: `secret-${n}-long` };
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

  it("keeps Magistrala's PATCH /users/{id}/email working right after sign-in, and tells the old address", async () => {
    const u = await user('ec_fresh');
    const session = await http.signIn(u.email, u.secret);
    const res = await http.patch(
      `/users/${u.id}/email`,
      { email: 'ec-fresh-new@example.com' },
      session.access_token,
    );
    expect(res.status).toBe(200);
    expect(res.body.email).toBe('ec-fresh-new@example.com');
    expect(res.body.verified_at ?? null).toBeNull();
    const notice = await waitFor(async () => smtp.to(u.email).find((m) => m.subject === NOTICE), 10_000);
    expect(notice).toBeTruthy();
    const mail = smtp.to(u.email).find((m) => m.subject === NOTICE)!;
    expect(mail.text).toContain('ec-fresh-new@example.com');
    expect(mail.text).not.toContain(u.secret);
  });

  it('needs the current secret without a recent sign-in (an API key), and counts a wrong one', async () => {
    const u = await user('ec_key');
    const session = await http.signIn(u.email, u.secret);
    const key = (await http.post('/users/keys', { name: 'ci' }, session.access_token)).body.key as string;
    const refused = await http.patch(`/users/${u.id}/email`, { email: 'ec-key-new@example.com' }, key);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('reauthentication_required');
    const wrong = await http.patch(
      `/users/${u.id}/email`,
      { email: 'ec-key-new@example.com', secret: 'not-the-secret' },
      key,
    );
    expect(wrong.status).toBe(401);
    const ok = await http.patch(
      `/users/${u.id}/email`,
      { email: 'ec-key-new@example.com', secret: u.secret },
      key,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.email).toBe('ec-key-new@example.com');
  });

  it('an admin changes a managed user’s email without that user’s secret', async () => {
    const u = await user('ec_admin');
    const res = await http.patch(`/users/${u.id}/email`, { email: 'ec-admin-new@example.com' }, owner);
    expect(res.status).toBe(200);
  });

  it('voids a reset link mailed to the old address', async () => {
    const u = await user('ec_link');
    expect((await http.post('/password/reset-request', { email: u.email })).status).toBe(201);
    const token = tokenOf(await smtp.waitFor(u.email));
    const session = await http.signIn(u.email, u.secret);
    expect(
      (await http.patch(`/users/${u.id}/email`, { email: 'ec-link-new@example.com' }, session.access_token))
        .status,
    ).toBe(200);
    const reset = await http.put('/password/reset', {
      token,
      password: 'hijacked-secret-1',
      confirm_password: 'hijacked-secret-1',
    });
    expect(reset.status).toBe(401);
    expect(
      (await http.post('/users/tokens/issue', { identity: 'ec-link-new@example.com', secret: u.secret }))
        .status,
    ).toBe(201);
  });

  it('refresh does not keep verified: true after the address changed', async () => {
    const u = await user('ec_refresh');
    const first = await http.signIn(u.email, u.secret);
    expect((await http.post('/users/send-verification', undefined, first.access_token)).status).toBe(201);
    expect((await http.get(`/verify-email?token=${tokenOf(await smtp.waitFor(u.email))}`)).status).toBe(200);
    const session = await http.signIn(u.email, u.secret);
    expect(claims(session.access_token).verified).toBe(true);
    expect(
      (
        await http.patch(
          `/users/${u.id}/email`,
          { email: 'ec-refresh-new@example.com' },
          session.access_token,
        )
      ).status,
    ).toBe(200);
    const refreshed = await http.post('/users/tokens/refresh', undefined, session.refresh_token);
    // A changed account gets no new token: sign in again, and the new token says unverified.
    expect(refreshed.status).toBe(401);
    const again = await http.signIn('ec-refresh-new@example.com', u.secret);
    expect(claims(again.access_token).verified).toBe(false);
  });
});

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { verified: boolean };

describe('proof of presence (unit, fake clock)', () => {
  const ctx: Ctx = {
    caller: { userId: 'u1', role: 'viewer', sessionId: 's1', verified: true },
    client: { userAgent: 'jest', ip: '127.0.0.1' },
  };
  const at = (createdAt: number) => {
    const session = { id: 's1', createdAt: new Date(createdAt) } as SessionInfo;
    const auth = { listSessions: async () => [session] } as unknown as AuthPort;
    const verifySecret = jest.fn(async () => undefined);
    return { presence: new Presence(auth, { verifySecret }, () => 10_000_000), verifySecret };
  };

  it('accepts a session signed in within 5 minutes, refuses one signed in earlier', async () => {
    await expect(
      at(10_000_000 - RECENT_SIGN_IN_MS + 1_000).presence.prove(ctx, undefined),
    ).resolves.toBeUndefined();
    await expect(
      at(10_000_000 - RECENT_SIGN_IN_MS - 1_000).presence.prove(ctx, undefined),
    ).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
  });

  it('checks the secret when one is given, whatever the session', async () => {
    const { presence, verifySecret } = at(0);
    await presence.prove(ctx, 'the-secret');
    expect(verifySecret).toHaveBeenCalledWith('u1', 'the-secret');
  });
});
