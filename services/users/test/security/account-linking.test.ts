import { waitFor } from '@usher/testkit';
import type { ChildProcess } from 'child_process';
import { api, OWNER } from '../harness';
import { Browser, CALLBACK, CLIENT, startOp, toCallback } from '../oauth/flow';
import { startProcessStack, type ProcessStack } from '../process-stack';
import { SmtpSink, tokenOf } from '../smtp';

// Pre-account hijack: an attacker self-registers the victim's address first, keeps a password and
// an API key, and waits for the victim to sign in with an external identity. Usher links an
// identity only to an account that verified the address: the unverified one is refused
// (account_not_verified, audited), and the victim takes the account back by a reset link, which
// ends the attacker's password, sessions and API keys and verifies the address; after that the
// identity links. Real certified OpenID provider (oidc-provider), built services, real SMTP sink.

jest.setTimeout(120_000);

const UI_OK = 'http://ui.test/home';
const UI_ERROR = 'http://ui.test/error';

let stack: ProcessStack;
let op: ChildProcess;
let smtp: SmtpSink;

beforeAll(async () => {
  const started = await startOp();
  op = started.child;
  smtp = await SmtpSink.start();
  stack = await startProcessStack({
    USHER_USERS_LOG_LEVEL: 'warn',
    USHER_AUTH_LOG_LEVEL: 'warn',
    USHER_OAUTH_CALLBACK_URL_PREFIX: CALLBACK,
    USHER_OAUTH_UI_REDIRECT_URL: UI_OK,
    USHER_OAUTH_UI_ERROR_URL: UI_ERROR,
    USHER_OAUTH_TIMEOUT: '5s',
    USHER_OAUTH_LOCAL_ISSUER: started.issuer,
    USHER_OAUTH_LOCAL_CLIENT_ID: CLIENT.id,
    USHER_OAUTH_LOCAL_CLIENT_SECRET: CLIENT.secret,
    ...smtp.env(),
  });
});

afterAll(async () => {
  await stack?.stop();
  op?.kill('SIGTERM');
  await smtp?.stop();
});

const errorOf = (location: string) => new URL(location).searchParams.get('error');

async function oauthSignIn(email: string, sub: string) {
  const b = new Browser(stack.usersUrl);
  const done = await b.request(await toCallback(b, stack.usersUrl, { sub, email, verified: true }));
  const access = b.cookies(new URL(stack.usersUrl).host).get('usher_at');
  return { location: done.location, access };
}

describe('linking an external identity to an existing account', () => {
  it('refuses the attacker-registered, unverified account; after the victim resets, the attacker is out and the identity links', async () => {
    const http = api(stack.usersUrl);
    const victim = `victim-${Date.now()}@example.com`;
    const sub = `victim-sub-${Date.now()}`;

    // The attacker registers the victim's address and keeps a password and an API key.
    const reg = await http.post('/users', {
      first_name: 'Not',
      last_name: 'Victim',
      email: victim,
      credentials: { username: `squatter_${Date.now()}`, secret: 'attacker-secret-1' },
    });
    expect(reg.status).toBe(201);
    const attacker = await http.signIn(victim, 'attacker-secret-1');
    const key = await http.post('/users/keys', { name: 'backdoor' }, attacker.access_token);
    expect(key.status).toBe(201);

    // The victim signs in with the provider, which verified the address: not linked, no session.
    const refused = await oauthSignIn(victim, sub);
    expect(refused.location.startsWith(UI_ERROR)).toBe(true);
    expect(errorOf(refused.location)).toBe('account_not_verified');
    expect(refused.access).toBeUndefined();
    expect((await http.get('/users/identities', attacker.access_token)).body.identities).toEqual([]);
    const owner = await http.signIn(OWNER.email, OWNER.password);
    const failed = await http.get(
      `/audit?type=signin_failed&user_id=${reg.body.id}&limit=10`,
      owner.access_token,
    );
    expect(failed.body.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'failure',
          details: expect.objectContaining({ reason: 'account_not_verified', method: 'oauth:local' }),
        }),
      ]),
    );

    // The victim takes the account back by mail: the attacker's password, session and key all end.
    expect((await http.post('/password/reset-request', { email: victim })).status).toBe(201);
    const token = tokenOf(await smtp.waitFor(victim));
    const reset = await http.put('/password/reset', {
      token,
      password: 'victim-secret-1',
      confirm_password: 'victim-secret-1',
    });
    expect(reset.status).toBe(201);
    expect(
      (await http.post('/users/tokens/issue', { identity: victim, secret: 'attacker-secret-1' })).status,
    ).toBe(401);
    await waitFor(async () => (await http.get('/users/profile', key.body.key)).status === 401, 5_000);
    await waitFor(
      async () => (await http.get('/users/profile', attacker.access_token)).status === 401,
      5_000,
    );

    // The address is proven now: the identity links to the account, now the victim's alone.
    const linked = await oauthSignIn(victim, sub);
    expect(linked.location).toBe(UI_OK);
    const me = await http.get('/users/profile', linked.access!);
    expect(me.body.id).toBe(reg.body.id);
    expect(me.body.verified_at).toBeTruthy();
  });
});
