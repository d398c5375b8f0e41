import type { ChildProcess } from 'child_process';
import { api, OWNER } from './harness';
import { startProcessStack, type ProcessStack } from './process-stack';
import {
  startFakeGitHub,
  startFakeProvider,
  startSilentServer,
  type FakeGitHub,
  type FakeProvider,
} from './oauth/fake-provider';
import {
  Browser,
  CALLBACK,
  CLIENT,
  startOp as startLocalOp,
  toCallback as flowToCallback,
  type Person,
} from './oauth/flow';
import { SmtpSink, tokenOf } from './smtp';

// Sign-in with external identity providers (issue 12), over HTTP end to end: a real certified
// OpenID provider (oidc-provider, its own process), the built users and auth services (their own
// processes: openid-client is ESM-only, which jest's sandbox cannot load), and a browser played
// by this test with a cookie jar per site, following every redirect by hand.

jest.setTimeout(120_000);

const UI_OK = 'http://ui.test/home';
const UI_ERROR = 'http://ui.test/error';

let stack: ProcessStack;
let op: ChildProcess;
let opIssuer: string;
let fake: FakeProvider;
let silent: { url: string; stop(): Promise<void> };
let gh: FakeGitHub;
let smtp: SmtpSink;

async function startOp(): Promise<void> {
  const started = await startLocalOp();
  opIssuer = started.issuer;
  op = started.child;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    USHER_USERS_LOG_LEVEL: 'warn',
    USHER_AUTH_LOG_LEVEL: 'warn',
    USHER_OAUTH_CALLBACK_URL_PREFIX: CALLBACK,
    USHER_OAUTH_UI_REDIRECT_URL: UI_OK,
    USHER_OAUTH_UI_ERROR_URL: UI_ERROR,
    USHER_OAUTH_TIMEOUT: '2s',
    USHER_OAUTH_LOCAL_ISSUER: opIssuer,
    USHER_OAUTH_LOCAL_CLIENT_ID: CLIENT.id,
    USHER_OAUTH_LOCAL_CLIENT_SECRET: CLIENT.secret,
    USHER_OAUTH_FAKE_ISSUER: fake.issuer,
    USHER_OAUTH_FAKE_CLIENT_ID: CLIENT.id,
    USHER_OAUTH_FAKE_CLIENT_SECRET: CLIENT.secret,
    USHER_OAUTH_DOWN_ISSUER: silent.url,
    USHER_OAUTH_DOWN_CLIENT_ID: CLIENT.id,
    // The GitHub preset, pointed at a GitHub Enterprise-shaped fake on loopback.
    USHER_OAUTH_GITHUB_ISSUER: gh.url,
    USHER_OAUTH_GITHUB_CLIENT_ID: CLIENT.id,
    USHER_OAUTH_GITHUB_CLIENT_SECRET: CLIENT.secret,
    ...extra,
  };
}

beforeAll(async () => {
  await startOp();
  fake = await startFakeProvider(CLIENT.id);
  silent = await startSilentServer();
  gh = await startFakeGitHub();
  smtp = await SmtpSink.start();
  stack = await startProcessStack(env(smtp.env()));
});

afterAll(async () => {
  await stack?.stop();
  op?.kill('SIGTERM');
  await fake?.stop();
  await silent?.stop();
  await gh?.stop();
  await smtp?.stop();
});

const toCallback = (b: Browser, person: Person | 'deny', provider = 'local') =>
  flowToCallback(b, stack.usersUrl, person, provider);

/** The whole dance: where Usher sends the browser at the end. */
async function signIn(b: Browser, person: Person, provider = 'local') {
  const callback = await toCallback(b, person, provider);
  return b.request(callback);
}

const errorOf = (location: string) => {
  const u = new URL(location);
  expect(`${u.origin}${u.pathname}`).toBe(UI_ERROR);
  // A short code only: nothing else from the provider in the URL.
  expect([...u.searchParams.keys()]).toEqual(['error']);
  return u.searchParams.get('error');
};

const tokensOf = (b: Browser) => {
  const jar = b.cookies(new URL(stack.usersUrl).host);
  return { access: jar.get('usher_at')!, refresh: jar.get('usher_rt')! };
};

let seq = 0;
const person = (over: Partial<Person> = {}): Person => {
  seq++;
  return {
    sub: `sub-${seq}-${Date.now()}`,
    email: `p${seq}-${Date.now()}@example.com`,
    verified: true,
    ...over,
  };
};

async function audit(type: string, userId?: string) {
  const http = api(stack.usersUrl);
  const owner = await http.signIn(OWNER.email, OWNER.password);
  const q = `/audit?type=${type}&limit=100${userId ? `&user_id=${userId}` : ''}`;
  const res = await http.get(q, owner.access_token);
  expect(res.status).toBe(200);
  return res.body.events as {
    type: string;
    outcome: string;
    target_id?: string;
    details: Record<string, unknown>;
  }[];
}

describe('sign-in with an OpenID Connect provider', () => {
  it('lists the configured providers publicly', async () => {
    const res = await api(stack.usersUrl).get('/oauth/providers');
    expect(res.status).toBe(200);
    expect(res.body.providers.map((p: { name: string }) => p.name).sort()).toEqual([
      'down',
      'fake',
      'github',
      'local',
    ]);
    expect(res.body.providers[0].authorize_url).toMatch(/^\/oauth\/authorize\//);
  });

  it('answers 404 for a provider that is not configured', async () => {
    const b = new Browser(stack.usersUrl);
    expect((await b.request(`${stack.usersUrl}/oauth/authorize/google`)).status).toBe(404);
    expect((await b.request(`${stack.usersUrl}/oauth/callback/google?code=x&state=y`)).status).toBe(404);
  });

  it('starts with state, PKCE S256 and a nonce, bound to the browser by a short-lived HttpOnly cookie', async () => {
    const b = new Browser(stack.usersUrl);
    const res = await b.request(`${stack.usersUrl}/oauth/authorize/local`);
    expect(res.status).toBe(302);
    const to = new URL(res.location);
    expect(to.origin).toBe(opIssuer);
    expect(to.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(to.searchParams.get('redirect_uri')).toBe(`${CALLBACK}/local`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('usher_oauth_flow='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/Path=\/oauth\/callback/);
    // A fresh state per request.
    const again = await b.request(`${stack.usersUrl}/oauth/authorize/local`);
    expect(new URL(again.location).searchParams.get('state')).not.toBe(to.searchParams.get('state'));
  });

  it('creates a viewer for a new person, with tokens in HttpOnly cookies, never in the URL', async () => {
    const b = new Browser(stack.usersUrl);
    const p = person();
    const callback = await toCallback(b, p);
    const done = await b.request(callback);
    expect(done.status).toBe(302);
    expect(done.location).toBe(UI_OK);
    const set = done.headers.getSetCookie();
    expect(set.find((c) => c.startsWith('usher_at='))).toMatch(/HttpOnly/);
    expect(set.find((c) => c.startsWith('usher_rt='))).toMatch(/HttpOnly/);
    const { access } = tokensOf(b);
    expect(done.location).not.toContain(access);
    const http = api(stack.usersUrl);
    const profile = await http.get('/users/profile', access);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email: p.email, role: 'viewer', status: 'enabled' });
    // Events: created with the provider, identity_linked, signed_in with the method.
    const created = (await audit('user_created', profile.body.id)).find(
      (e) => e.target_id === profile.body.id,
    );
    expect(created?.details).toMatchObject({ provider: 'local', method: 'oauth:local' });
    expect((await audit('identity_linked', profile.body.id)).length).toBe(1);
    const signins = await audit('signin_succeeded', profile.body.id);
    expect(signins[0]?.details).toMatchObject({ method: 'oauth:local' });
    // Its identity is listed.
    const ids = await http.get('/users/identities', access);
    expect(ids.status).toBe(200);
    expect(ids.body.identities).toEqual([expect.objectContaining({ provider: 'local', email: p.email })]);
  });

  it('signs the same account in after the email changed at the provider (link by provider and subject)', async () => {
    const p = person();
    const b1 = new Browser(stack.usersUrl);
    await signIn(b1, p);
    const http = api(stack.usersUrl);
    const first = await http.get('/users/profile', tokensOf(b1).access);
    const b2 = new Browser(stack.usersUrl);
    const done = await signIn(b2, { ...p, email: `changed-${p.email}` });
    expect(done.location).toBe(UI_OK);
    const second = await http.get('/users/profile', tokensOf(b2).access);
    expect(second.body.id).toBe(first.body.id);
  });

  it('links an existing account when the provider says the email is verified', async () => {
    const http = api(stack.usersUrl);
    const owner = await http.signIn(OWNER.email, OWNER.password);
    const email = `linked-${Date.now()}@example.com`;
    const made = await http.post(
      '/users',
      {
        first_name: 'Link',
        last_name: 'Me',
        email,
        credentials: { username: `link_${Date.now()}`, secret: 'link-me-secret-1' },
      },
      owner.access_token,
    );
    expect(made.status).toBe(201);
    // Only an account that proved it owns the address is linked (test/security/account-linking).
    const own = await http.signIn(email, 'link-me-secret-1');
    expect((await http.post('/users/send-verification', undefined, own.access_token)).status).toBe(201);
    const verify = await http.get(`/verify-email?token=${tokenOf(await smtp.waitFor(email))}`);
    expect(verify.status).toBe(200);
    const b = new Browser(stack.usersUrl);
    const done = await signIn(b, person({ email, verified: true }));
    expect(done.location).toBe(UI_OK);
    const me = await http.get('/users/profile', tokensOf(b).access);
    expect(me.body.id).toBe(made.body.id);
    const linked = await audit('identity_linked', made.body.id);
    expect(linked[0]?.details).toMatchObject({ provider: 'local' });
    // The account has a password: its one identity may be unlinked.
    const ids = await http.get('/users/identities', tokensOf(b).access);
    const del = await http.del(`/users/identities/${ids.body.identities[0].id}`, tokensOf(b).access);
    expect(del.status).toBe(204);
    expect((await audit('identity_unlinked', made.body.id)).length).toBe(1);
    expect((await http.get('/users/identities', tokensOf(b).access)).body.identities).toEqual([]);
  });

  it('does not link on an unverified email', async () => {
    const http = api(stack.usersUrl);
    const b = new Browser(stack.usersUrl);
    const done = await signIn(b, person({ email: OWNER.email, verified: false }));
    expect(errorOf(done.location)).toBe('email_not_verified');
    expect(tokensOf(b).access).toBeUndefined();
    const owner = await http.signIn(OWNER.email, OWNER.password);
    expect((await http.get('/users/identities', owner.access_token)).body.identities).toEqual([]);
    const failed = await audit('signin_failed');
    expect(failed.some((e) => e.details.reason === 'email_not_verified' && e.outcome === 'failure')).toBe(
      true,
    );
  });

  it('keeps the last way to sign in of an account without a password', async () => {
    const b = new Browser(stack.usersUrl);
    await signIn(b, person());
    const http = api(stack.usersUrl);
    const ids = await http.get('/users/identities', tokensOf(b).access);
    const del = await http.del(`/users/identities/${ids.body.identities[0].id}`, tokensOf(b).access);
    expect(del.status).toBe(409);
    expect((await http.del(`/users/identities/${crypto.randomUUID()}`, tokensOf(b).access)).status).toBe(404);
  });

  it('refuses a disabled account whatever the provider says', async () => {
    const p = person();
    const b = new Browser(stack.usersUrl);
    await signIn(b, p);
    const http = api(stack.usersUrl);
    const me = await http.get('/users/profile', tokensOf(b).access);
    const owner = await http.signIn(OWNER.email, OWNER.password);
    expect((await http.post(`/users/${me.body.id}/disable`, undefined, owner.access_token)).status).toBe(200);
    const again = await signIn(new Browser(stack.usersUrl), p);
    expect(errorOf(again.location)).toBe('account_disabled');
    const failed = await audit('signin_failed', me.body.id);
    expect(failed[0]).toMatchObject({
      outcome: 'failure',
      details: { reason: 'account_disabled', method: 'oauth:local' },
    });
  });

  it('refuses a locked account whatever the provider says', async () => {
    const p = person();
    await signIn(new Browser(stack.usersUrl), p);
    // Failed password sign-ins lock the account (USHER_USERS_LOCKOUT_THRESHOLD, 5 by default).
    for (let i = 0; i < 5; i++) {
      const res = await api(stack.usersUrl).post('/users/tokens/issue', {
        identity: p.email,
        secret: 'wrong-secret-1',
      });
      expect([401, 423]).toContain(res.status);
    }
    const again = await signIn(new Browser(stack.usersUrl), p);
    expect(errorOf(again.location)).toBe('account_locked');
  });

  it('refuses denied consent with a short code', async () => {
    const b = new Browser(stack.usersUrl);
    const callback = await toCallback(b, 'deny');
    const done = await b.request(callback);
    expect(errorOf(done.location)).toBe('access_denied');
  });

  it('refuses a tampered state', async () => {
    const b = new Browser(stack.usersUrl);
    const callback = new URL(await toCallback(b, person()));
    callback.searchParams.set('state', 'tampered-state-value');
    const done = await b.request(callback.toString());
    expect(errorOf(done.location)).toBe('invalid_state');
  });

  it('refuses a callback without the flow cookie (no PKCE verifier for this browser)', async () => {
    const b = new Browser(stack.usersUrl);
    const callback = await toCallback(b, person());
    // Another browser (an attacker's link) brings the same callback URL.
    const done = await new Browser(stack.usersUrl).request(callback);
    expect(errorOf(done.location)).toBe('invalid_state');
  });

  it('refuses a replayed callback and a replayed code', async () => {
    const b = new Browser(stack.usersUrl);
    const p = person();
    const callback = await toCallback(b, p);
    const host = new URL(stack.usersUrl).host;
    const flowCookie = b.cookies(host).get('usher_oauth_flow')!;
    expect((await b.request(callback)).location).toBe(UI_OK);
    // The same callback again, even with the old flow cookie: the flow was spent.
    b.cookies(host).set('usher_oauth_flow', flowCookie);
    expect(errorOf((await b.request(callback)).location)).toBe('invalid_state');
    // The old code in a fresh flow: the provider refuses the second exchange.
    const fresh = new URL(await toCallback(b, p));
    fresh.searchParams.set('code', new URL(callback).searchParams.get('code')!);
    expect(errorOf((await b.request(fresh.toString())).location)).toBe('code_rejected');
  });

  it('gives the error redirect within a bounded time when the provider does not answer', async () => {
    const b = new Browser(stack.usersUrl);
    const started = Date.now();
    const res = await b.request(`${stack.usersUrl}/oauth/authorize/down`);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(errorOf(res.location)).toBe('provider_unavailable');
    const failed = await audit('signin_failed');
    expect(failed.some((e) => e.details.reason === 'provider_unavailable')).toBe(true);
  });

  it('revokes a session from OAuth like any other', async () => {
    const b = new Browser(stack.usersUrl);
    await signIn(b, person());
    const http = api(stack.usersUrl);
    const { access } = tokensOf(b);
    const sessions = await http.get('/users/sessions', access);
    expect(sessions.status).toBe(200);
    const mine = sessions.body.sessions.find((s: { current: boolean }) => s.current);
    expect(mine.method).toBe('oauth:local');
    expect((await http.del(`/users/sessions/${mine.id}`, access)).status).toBe(204);
    expect((await http.get('/users/profile', access)).status).toBe(401);
  });
});

describe('ID token checks (a provider under the test’s control)', () => {
  const viaFake = async (mode: FakeProvider['mode']) => {
    fake.mode = mode;
    const b = new Browser(stack.usersUrl);
    const start = await b.request(`${stack.usersUrl}/oauth/authorize/fake`);
    const to = new URL(start.location);
    expect(to.origin).toBe(fake.issuer);
    fake.nonce = to.searchParams.get('nonce')!;
    const callback = `${CALLBACK}/fake?code=code-${mode}&state=${to.searchParams.get('state')}`;
    return b.request(callback);
  };

  it('accepts a good ID token (the control)', async () => {
    expect((await viaFake('ok')).location).toBe(UI_OK);
  });

  it.each([['wrong_nonce'], ['expired'], ['other_key']] as const)('refuses an ID token: %s', async (mode) => {
    expect(errorOf((await viaFake(mode)).location)).toBe('invalid_token');
  });
});

describe('the GitHub preset (OAuth 2.0, no ID token)', () => {
  const viaGitHub = async () => {
    const b = new Browser(stack.usersUrl);
    const start = await b.request(`${stack.usersUrl}/oauth/authorize/github`);
    const to = new URL(start.location);
    expect(`${to.origin}${to.pathname}`).toBe(`${gh.url}/login/oauth/authorize`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('scope')).toBe('read:user user:email');
    const done = await b.request(`${CALLBACK}/github?code=gh-code&state=${to.searchParams.get('state')}`);
    return { b, done };
  };

  it('signs a new person in from the API user and verified primary email', async () => {
    const email = `octo-${Date.now()}@example.com`;
    gh.user = { id: 4242, login: 'octo', name: 'Octo Cat' };
    gh.emails = [
      { email: `other-${email}`, primary: false, verified: true },
      { email, primary: true, verified: true },
    ];
    const { b, done } = await viaGitHub();
    expect(done.location).toBe(UI_OK);
    const http = api(stack.usersUrl);
    const me = await http.get('/users/profile', tokensOf(b).access);
    expect(me.body).toMatchObject({ email, first_name: 'Octo', last_name: 'Cat' });
    const sessions = await http.get('/users/sessions', tokensOf(b).access);
    expect(sessions.body.sessions[0].method).toBe('oauth:github');
  });

  it('does not link an existing account on an unverified primary email', async () => {
    gh.user = { id: 4343, login: 'mallory', name: 'Mallory' };
    gh.emails = [{ email: OWNER.email, primary: true, verified: false }];
    const { done } = await viaGitHub();
    expect(errorOf(done.location)).toBe('email_not_verified');
  });
});

describe('self-registration off', () => {
  let closed: ProcessStack;
  beforeAll(async () => {
    closed = await startProcessStack(env({ USHER_USERS_ALLOW_SELF_REGISTER: 'false' }));
  });
  afterAll(async () => closed?.stop());

  it('refuses unknown people with a clear code instead of making an account', async () => {
    const b = new Browser(closed.usersUrl);
    const start = await b.request(`${closed.usersUrl}/oauth/authorize/local`);
    let url = start.location;
    const p = person();
    for (let i = 0; i < 10 && !url.startsWith(CALLBACK); i++) {
      const m = /\/interaction\/[^/?]+$/.test(new URL(url).pathname);
      const res = m
        ? await b.request(`${url}/login`, {
            method: 'POST',
            form: { sub: p.sub, email: p.email, email_verified: 'true' },
          })
        : await b.request(url);
      url = res.location;
    }
    const done = await b.request(url.replace('http://usher.test', closed.usersUrl));
    expect(errorOf(done.location)).toBe('registration_disabled');
  });
});
