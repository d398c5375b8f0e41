import fs from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';

/**
 * The web dashboard in a real browser: Debian's Chromium driven by playwright-core, against the
 * users service (in this process, serving packages/dashboard/dist) and the real auth process.
 */

// Browser globals used inside page.evaluate callbacks (this file is compiled without the DOM lib).
declare const document: {
  cookie: string;
  addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void;
  querySelectorAll(selector: string): { length: number };
  documentElement: { scrollWidth: number };
};
declare const localStorage: unknown;
declare const sessionStorage: unknown;

const CHROMIUM = process.env.USHER_CHROMIUM_PATH || '/usr/bin/chromium';
const DIST = path.join(__dirname, '../../../packages/dashboard/dist/index.html');
const SHOTS = path.join(__dirname, '../../../test-results');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  const reason = `dashboard browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.USHER_TEST_REQUIRE_SERVICES === '1')
    throw new Error(`${reason} and USHER_TEST_REQUIRE_SERVICES=1`);
  console.warn(`skipped: ${reason}`);
}
const suite = haveChromium ? describe : describe.skip;

jest.setTimeout(120_000);

const ADMIN = { email: 'dash-admin@example.com', username: 'dash_admin', password: 'admin-password-123' };
const LOCKED = { email: 'lock-me@example.com', username: 'lock_me', password: 'lock-me-password' };

const ACCESS_TTL_S = 6;

/** Network-level notices Chromium logs for API answers that the page shows in words (wrong password, locked...). */
const EXPECTED_HTTP = /^Failed to load resource: the server responded with a status of (401|403|423)/;

suite('dashboard (browser)', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let browser: Browser;
  let base: string;
  let http: ReturnType<typeof api>;
  let ownerToken: string;
  const problems: string[] = [];

  /** A fresh browser profile (context) whose pages report console errors and CSP violations. */
  async function newContext(width = 1280): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    ctx.on('page', (page) => watch(page));
    return ctx;
  }
  function watch(page: Page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !EXPECTED_HTTP.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  }

  async function signIn(page: Page, identity: string, secret: string) {
    await page.getByLabel('Email or username').fill(identity);
    await page.getByLabel('Password', { exact: true }).fill(secret);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  beforeAll(async () => {
    if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm build first`);
    fs.mkdirSync(SHOTS, { recursive: true });
    // Short-lived access tokens: the dashboard must refresh them without the page noticing.
    auth = await startAuthProcess({ USHER_AUTH_ACCESS_TOKEN_DURATION: `${ACCESS_TTL_S}s` });
    users = await startUsers(auth.address, {
      USHER_USERS_LOCKOUT_THRESHOLD: '3',
      USHER_USERS_LOCKOUT_DURATION: '10m',
    });
    base = `${users.url}/dashboard`;
    http = api(users.url);
    ownerToken = (await http.signIn(OWNER.email, OWNER.password)).access_token;
    const mk = (email: string, username: string, secret: string, role: string, n = '') =>
      http.post(
        '/users',
        { email, first_name: 'Seed', last_name: `Person ${n}`, role, credentials: { username, secret } },
        ownerToken,
      );
    expect((await mk(ADMIN.email, ADMIN.username, ADMIN.password, 'admin')).status).toBe(201);
    expect((await mk(LOCKED.email, LOCKED.username, LOCKED.password, 'viewer')).status).toBe(201);
    // 1,000 seeded users, through the API, a few at a time.
    const ids = Array.from({ length: 1000 }, (_, i) => String(i).padStart(4, '0'));
    for (let i = 0; i < ids.length; i += 25) {
      ownerToken = (await http.signIn(OWNER.email, OWNER.password)).access_token;
      const batch = await Promise.all(
        ids
          .slice(i, i + 25)
          .map((n) => mk(`seed-${n}@example.com`, `seed_${n}`, `seed-password-${n}`, 'viewer', n)),
      );
      for (const r of batch) expect(r.status).toBe(201);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await users?.stop();
    await auth?.stop();
  });

  afterEach(() => {
    // No page may log a console error or a CSP violation.
    const seen = problems.splice(0);
    expect(seen).toEqual([]);
  });

  it('sends a strict CSP and framing/referrer headers, and serves client routes (SPA fallback)', async () => {
    for (const p of ['/dashboard', '/dashboard/sign-in', '/dashboard/users/x/y']) {
      const res = await fetch(users.url + p);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      // Every script and stylesheet comes from the dashboard itself; no inline script.
      expect(html).not.toMatch(/<script>(?!<\/script>)|https?:\/\//);
      for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(m[1]).toMatch(/^\/dashboard\//);
    }
    // The state-changing backend refuses a request without the CSRF token.
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: OWNER.email, secret: OWNER.password }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('csrf_refused');
  });

  it('owner adds a temporary-password user, who must change it and then reaches My account but not Users', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    // Not signed in: sent to sign-in, and back to the page asked for afterwards.
    await page.goto(`${base}/users/new`);
    await page.waitForURL(/\/dashboard\/sign-in\?next=/);
    await page.getByRole('heading', { name: 'Sign in to Usher' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-sign-in.png'), fullPage: true });
    // By keyboard: type, Tab, type, Enter.
    await page.getByLabel('Email or username').focus();
    await page.keyboard.type(OWNER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add user' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/users/new');

    // Tokens live in HttpOnly, SameSite=Strict cookies scoped to /dashboard; nothing in storage.
    const cookies = await ctx.cookies();
    const byName = Object.fromEntries(cookies.map((c) => [c.name, c]));
    for (const name of ['usher_at', 'usher_rt']) {
      expect(byName[name]).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
        path: '/dashboard',
        secure: false,
      });
    }
    expect(byName.usher_csrf).toMatchObject({ httpOnly: false, sameSite: 'Strict', path: '/dashboard' });
    const seen = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    expect(seen.cookie).not.toMatch(/usher_at|usher_rt/);
    expect(seen.local).toBe('{}');
    expect(seen.session).toBe('{}');

    await page.getByLabel('With a temporary password').check();
    await page.getByLabel('Email', { exact: true }).fill('temp-user@example.com');
    await page.getByLabel('Username').fill('temp_user');
    await page.getByLabel('First name').fill('Temp');
    await page.getByLabel('Last name').fill('User');
    await page.getByLabel('Role').selectOption('editor');
    await page.getByRole('button', { name: 'Add user' }).click();
    const temp = (await page.getByTestId('shown-once').textContent())!.trim();
    expect(temp.length).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Usher' }).waitFor();
    expect((await ctx.cookies()).filter((c) => c.name === 'usher_at' || c.name === 'usher_rt')).toEqual([]);

    // The new user signs in with the temporary password and is made to change it.
    await signIn(page, 'temp_user', temp);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // A wrong current password is told in words, and the session stays open.
    await page.getByLabel('Current password').fill('not-the-temporary-one');
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-1');
    await page.getByLabel('New password again').fill('my-own-password-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your current password is not right.').waitFor();
    await page.getByLabel('Current password').fill(temp);
    await page.getByLabel('New password', { exact: true }).fill('my-own-password-1');
    await page.getByLabel('New password again').fill('my-own-password-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await expect(page.getByTestId('my-role').textContent()).resolves.toBe('editor');
    // An editor is offered no Users page, and is refused it when asking by address.
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto(`${base}/users`);
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    const direct = await page.evaluate(async () => (await fetch('/dashboard/api/users')).status);
    expect(direct).toBe(403);
    await ctx.close();
    // The new password works on the API too.
    await http.signIn('temp_user', 'my-own-password-1');
  });

  it('an admin searches 1,000 users, opens one and disables it: its open session ends on its next action; no owner for admins', async () => {
    // The seeded user has the dashboard open.
    const victimCtx = await newContext();
    const victim = await victimCtx.newPage();
    await victim.goto(`${base}/account`);
    await signIn(victim, 'seed_0421', 'seed-password-0421');
    await victim.getByRole('heading', { name: 'My account' }).waitFor();

    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/users`); // admins land on the overview (dashboard-overview.test.ts)
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1,00[0-9] users/ })
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-users.png'), fullPage: true });
    // Sorting and the status filter go to the server.
    await page.getByRole('button', { name: /^Username/ }).click();
    await page.getByRole('cell', { name: 'dash_admin' }).waitFor();
    await page.getByLabel('Search in').selectOption('username');
    await page.getByLabel('Search', { exact: true }).fill('seed_042');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^10 users/ })
      .waitFor();
    await page.getByRole('link', { name: 'Seed Person 0421' }).click();
    await page.getByRole('heading', { name: /Seed Person 0421/ }).waitFor();
    // An admin is not offered admin or owner.
    const options = await page.getByLabel('Role', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(['viewer', 'editor']);
    await page.getByRole('heading', { name: 'Recent audit events' }).waitFor();
    await page.getByRole('cell', { name: 'user_created' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-user.png'), fullPage: true });
    const id = new URL(page.url()).pathname.split('/').pop()!;
    // ...and the server refuses it anyway: through the dashboard backend and on the API.
    const viaDashboard = await page.evaluate(async (userId) => {
      const csrf = /usher_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(`/dashboard/api/users/${userId}/role`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-usher-csrf': decodeURIComponent(csrf) },
        body: JSON.stringify({ role: 'owner' }),
      });
      return res.status;
    }, id);
    expect(viaDashboard).toBe(403);
    const adminToken = (await http.signIn(ADMIN.username, ADMIN.password)).access_token;
    expect((await http.patch(`/users/${id}/role`, { role: 'owner' }, adminToken)).status).toBe(403);
    expect((await http.patch(`/users/${id}/role`, { role: 'admin' }, adminToken)).status).toBe(403);

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('User disabled.').waitFor();
    await expect(page.getByTestId('user-status').textContent()).resolves.toBe('disabled');

    // The disabled user's next action signs it out.
    await victim.getByLabel('First name').fill('Changed');
    await victim.getByRole('button', { name: 'Save profile' }).click();
    await victim.getByRole('heading', { name: 'Sign in to Usher' }).waitFor();
    await victim.getByText('Your session has ended').waitFor();
    // A disabled account cannot sign in again, and is told so without hinting at the account.
    await signIn(victim, 'seed_0421', 'seed-password-0421');
    await victim.getByText('Wrong email, username or password.').waitFor();
    await victimCtx.close();
    await ctx.close();
  });

  it('shows the lockout after repeated wrong secrets; unlock from the user page restores sign-in', async () => {
    const ctx = await newContext(360);
    const page = await ctx.newPage();
    await page.goto(`${base}/sign-in`);
    // Usable at 360 px: no horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // "Forgot password" starts the reset flow.
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(LOCKED.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page
      .getByText(`If an account uses ${LOCKED.email}, an email with a reset link is on its way.`)
      .waitFor();
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    for (let i = 0; i < 3; i++) {
      await signIn(page, LOCKED.username, 'not-the-password');
      await page.getByText('Wrong email, username or password.').waitFor();
      await page.getByRole('button', { name: 'Sign in', exact: true }).isEnabled();
    }
    await signIn(page, LOCKED.username, LOCKED.password);
    await page
      .getByText(/This account is locked after too many failed sign-ins. Try again in \d+ minutes/)
      .waitFor();

    const adminCtx = await newContext(360);
    const admin = await adminCtx.newPage();
    await admin.goto(`${base}/users`);
    await signIn(admin, ADMIN.email, ADMIN.password);
    await admin.getByRole('heading', { name: 'Users' }).waitFor();
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await admin.getByLabel('Search in').selectOption('email');
    await admin.getByLabel('Search', { exact: true }).fill('lock-me@');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin
      .getByTestId('users-total')
      .filter({ hasText: /^1 user\b/ })
      .waitFor();
    await admin.getByRole('link', { name: 'Seed Person', exact: true }).click();
    await admin.getByRole('button', { name: 'Unlock sign-in' }).click();
    await admin.getByText('Sign-in unlocked').waitFor();
    await adminCtx.close();

    await signIn(page, LOCKED.username, LOCKED.password);
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await ctx.close();
  });

  it('refreshes an expired access token transparently; My account API keys and sessions; the audit log page', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/account`);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await page.getByText('(this session)').waitFor();
    const before = (await ctx.cookies()).find((c) => c.name === 'usher_at')!.value;
    await page.waitForTimeout((ACCESS_TTL_S + 1) * 1000);

    // The access token has expired: the next calls still work (several at once share one refresh,
    // which a refresh token allows only once), with a new token in the cookie.
    const statuses = await page.evaluate(() =>
      Promise.all([1, 2, 3, 4].map(async () => (await fetch('/dashboard/api/users/profile')).status)),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    await page.getByLabel('New key name').fill('ci-key');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const key = (await page.getByTestId('shown-once').textContent())!.trim();
    expect(key.length).toBeGreaterThan(20);
    const after = (await ctx.cookies()).find((c) => c.name === 'usher_at')!.value;
    expect(after).not.toBe(before);
    // The key works on the API, is listed, and is revoked from the page.
    expect((await http.get('/users/profile', key)).status).toBe(200);
    await page.getByRole('cell', { name: 'ci-key', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Revoke API key ci-key' }).click();
    await page.getByText('No API keys.').waitFor();
    // One of my other sessions (the API sign-ins above) is revoked from the page.
    const revokers = page.getByRole('button', { name: /^Revoke session from/ });
    const n = await revokers.count();
    expect(n).toBeGreaterThan(0);
    await revokers.first().click();
    await page.waitForFunction(
      (want) => document.querySelectorAll('button[aria-label^="Revoke session from"]').length === want,
      n - 1,
    );
    expect((await http.get('/users/profile', key)).status).toBe(401);

    // The audit log, filtered by type.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Event type (e.g. signin_failed)').fill('locked');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText(/^1 events$/).waitFor();
    await page.getByRole('cell', { name: 'locked', exact: true }).waitFor();
    await ctx.close();
  });

  it('user page: validated metadata edit, temporary password shown once, enable, delete with typed confirmation', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/users`);
    await signIn(page, OWNER.username, OWNER.password);
    await page.getByLabel('Search in').selectOption('username');
    await page.getByLabel('Search', { exact: true }).fill('seed_0777');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1 user\b/ })
      .waitFor();
    await page.getByRole('link', { name: 'Seed Person 0777' }).click();
    await page.getByRole('heading', { name: /Seed Person 0777/ }).waitFor();
    // The owner may give any role.
    const options = await page.getByLabel('Role', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(['viewer', 'editor', 'admin', 'owner']);

    await page.getByLabel('Metadata (JSON object)').fill('{"team": ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Metadata must be valid JSON').waitFor();
    await page.getByLabel('Metadata (JSON object)').fill('{"team": "ops"}');
    await page.getByLabel('Tags (comma-separated)').fill('a, b');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const ownerToken = (await http.signIn(OWNER.email, OWNER.password)).access_token;
    expect((await http.get(`/users/${id}`, ownerToken)).body).toMatchObject({
      metadata: { team: 'ops' },
      tags: ['a', 'b'],
    });

    await page.getByRole('button', { name: 'Reset to a temporary password' }).click();
    const temp = (await page.getByTestId('shown-once').textContent())!.trim();
    const res = await http.post('/users/tokens/issue', { identity: 'seed_0777', secret: temp });
    expect(res.status).toBe(201);
    expect((await http.get('/users/profile', res.body.access_token)).body.error).toBe(
      'password_change_required',
    );

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('User disabled.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('User enabled.').waitFor();

    const del = page.getByRole('button', { name: 'Delete this user' });
    expect(await del.isDisabled()).toBe(true);
    await page.getByLabel('Type the username "seed_0777" to confirm').fill('seed_077');
    expect(await del.isDisabled()).toBe(true);
    await page.getByLabel('Type the username "seed_0777" to confirm').fill('seed_0777');
    await del.click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect((await http.get(`/users/${id}`, ownerToken)).body.status).toBe('deleted');
    await ctx.close();
  });
});
