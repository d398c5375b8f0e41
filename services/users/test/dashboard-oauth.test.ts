import fs from 'fs';
import net from 'net';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { freePort, waitForPort } from '@usher/testkit';
import type { Browser, Page } from 'playwright-core';
import { OWNER } from './harness';
import { startProcessStack, type ProcessStack } from './process-stack';

/**
 * Issue 12, last item: the dashboard's sign-in page offers the configured identity providers, and
 * signing in through one (a real oidc-provider, test/oauth/op-server.mjs) lands signed in on the
 * dashboard. Debian's Chromium drives the whole flow; the users and auth services run as their own
 * built processes (openid-client is ESM-only). The users service is reached through a plain TCP
 * relay on a port chosen first, so the provider's redirect URI can name it before the stack starts.
 */

const CHROMIUM = process.env.USHER_CHROMIUM_PATH || '/usr/bin/chromium';
const DIST = path.join(__dirname, '../../../packages/dashboard/dist/index.html');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  const reason = `dashboard OAuth browser test: ${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.USHER_TEST_REQUIRE_SERVICES === '1')
    throw new Error(`${reason} and USHER_TEST_REQUIRE_SERVICES=1`);
  console.warn(`skipped: ${reason}`);
}
const suite = haveChromium ? describe : describe.skip;

jest.setTimeout(120_000);

const CLIENT = { id: 'usher-dashboard-test', secret: 'usher-dashboard-test-secret-0123456789' };

suite('dashboard sign-in with an identity provider (browser)', () => {
  let stack: ProcessStack;
  let op: ChildProcess;
  let relay: net.Server;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm build first`);
    const publicPort = await freePort();
    base = `http://127.0.0.1:${publicPort}`;
    const opPort = await freePort();
    op = spawn(process.execPath, [path.join(__dirname, 'oauth/op-server.mjs')], {
      env: {
        PATH: process.env.PATH,
        OP_PORT: String(opPort),
        OP_CLIENT_ID: CLIENT.id,
        OP_CLIENT_SECRET: CLIENT.secret,
        OP_REDIRECT_URI: `${base}/oauth/callback/local`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForPort(opPort, '127.0.0.1', 60_000); // generous: the provider's first start loads many modules
    stack = await startProcessStack({
      USHER_USERS_LOG_LEVEL: 'warn',
      USHER_AUTH_LOG_LEVEL: 'warn',
      USHER_OAUTH_CALLBACK_URL_PREFIX: `${base}/oauth/callback`,
      USHER_OAUTH_UI_REDIRECT_URL: `${base}/dashboard/`,
      USHER_OAUTH_UI_ERROR_URL: `${base}/dashboard/sign-in`,
      USHER_OAUTH_LOCAL_ISSUER: `http://127.0.0.1:${opPort}`,
      USHER_OAUTH_LOCAL_CLIENT_ID: CLIENT.id,
      USHER_OAUTH_LOCAL_CLIENT_SECRET: CLIENT.secret,
    });
    const target = new URL(stack.usersUrl);
    relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(publicPort, '127.0.0.1', resolve));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    relay?.close();
    await stack?.stop();
    op?.kill('SIGTERM');
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  function watch(page: Page) {
    page.on('console', (msg) => {
      // Only the dashboard's own pages are watched (the provider's JSON page has no favicon).
      const where = msg.location().url;
      if (msg.type() === 'error' && where.startsWith(base) && !/status of 401/.test(msg.text()))
        problems.push(`console: ${msg.text()} (${where})`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  }

  it('shows a button per provider, goes through the provider and lands signed in', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    watch(page);
    await page.goto(`${base}/dashboard/sign-in`);
    const button = page.getByRole('link', { name: 'Sign in with Local' });
    await button.waitFor();
    expect(await button.getAttribute('href')).toBe('/oauth/authorize/local');

    // By keyboard: focus the link and press Enter; the provider's interaction page comes next.
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    expect(new URL(page.url()).port).not.toBe(new URL(base).port);
    // The provider's login (op-server.mjs) is a form post of who signs in: the owner, verified.
    await page.evaluate(
      `(() => {
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = location.pathname + '/login';
        for (const [k, v] of Object.entries(${JSON.stringify({ sub: 'owner-sub', email: OWNER.email, email_verified: 'true' })})) {
          const i = document.createElement('input');
          i.name = k;
          i.value = v;
          f.appendChild(i);
        }
        document.body.appendChild(f);
        f.submit();
      })()`,
    );

    // Back at the dashboard, signed in: the owner's pages and the Sign out button.
    await page.waitForURL(`${base}/dashboard/**`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('link', { name: 'Users' }).first().waitFor();
    expect(new URL(page.url()).pathname).not.toMatch(/sign-in/);

    // The tokens were adopted: only the dashboard's HttpOnly Strict cookies at /dashboard remain.
    const cookies = (await ctx.cookies(`${base}/dashboard/`)).filter((c) => c.name.startsWith('usher_'));
    const tokens = cookies.filter((c) => c.name === 'usher_at' || c.name === 'usher_rt');
    expect(tokens.map((c) => c.name).sort()).toEqual(['usher_at', 'usher_rt']);
    for (const c of tokens) {
      expect(c.path).toBe('/dashboard');
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Strict');
    }
    expect(cookies.some((c) => c.name === 'usher_csrf')).toBe(true);

    // The adopted session is a real one: a reload stays signed in, and signing out ends it.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/dashboard\/sign-in/);
    const left = (await ctx.cookies(`${base}/dashboard/`)).filter(
      (c) => c.name === 'usher_at' || c.name === 'usher_rt',
    );
    expect(left).toEqual([]);
    await ctx.close();
  });

  it('shows a failed external sign-in in plain words', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    watch(page);
    await page.goto(`${base}/dashboard/sign-in?error=access_denied`);
    await page.getByRole('alert').filter({ hasText: 'cancelled at the identity provider' }).waitFor();
    await ctx.close();
  });
});
