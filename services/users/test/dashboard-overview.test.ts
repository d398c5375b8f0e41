import fs from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';

/**
 * The dashboard's overview page in Debian's Chromium (playwright-core): the admin landing page,
 * its figures equal to GET /stats/overview, its charts drawn, at 360 px and in dark mode, without
 * a single CSP violation. Screenshots go to test-results/.
 */

// Browser globals used inside page.evaluate callbacks (this file is compiled without the DOM lib).
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
declare const document: {
  addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void;
  querySelector(selector: string): Canvas | null;
  documentElement: { scrollWidth: number };
};

const CHROMIUM = process.env.USHER_CHROMIUM_PATH || '/usr/bin/chromium';
const DIST = path.join(__dirname, '../../../packages/dashboard/dist/index.html');
const SHOTS = path.join(__dirname, '../../../test-results');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  const reason = `dashboard overview browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`;
  if (process.env.USHER_TEST_REQUIRE_SERVICES === '1')
    throw new Error(`${reason} and USHER_TEST_REQUIRE_SERVICES=1`);
  console.warn(`skipped: ${reason}`);
}
const suite = haveChromium ? describe : describe.skip;

jest.setTimeout(120_000);

const EXPECTED_HTTP = /^Failed to load resource: the server responded with a status of (401|403|423)/;

suite('dashboard overview (browser)', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let browser: Browser;
  let base: string;
  let http: ReturnType<typeof api>;
  let owner: string;
  const problems: string[] = [];

  async function newContext(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    ctx.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !EXPECTED_HTTP.test(msg.text()))
          problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    });
    return ctx;
  }

  async function signInAsOwner(page: Page) {
    await page.goto(`${base}/`);
    await page.getByLabel('Email or username').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('canvas[data-chart]').first().waitFor();
  }

  /** How many pixels of a chart's canvas are not transparent (0 before Chart.js draws). */
  const inkedPixels = (page: Page, chart: string) =>
    page.evaluate((sel) => {
      const c = document.querySelector(sel);
      if (!c) return -1;
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    }, `canvas[data-chart="${chart}"]`);

  beforeAll(async () => {
    if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm build first`);
    fs.mkdirSync(SHOTS, { recursive: true });
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_USERS_LOCKOUT_THRESHOLD: '3' });
    base = `${users.url}/dashboard`;
    http = api(users.url);
    owner = (await http.signIn(OWNER.email, OWNER.password)).access_token;
    for (const [n, role] of [
      ['ann', 'admin'],
      ['ed', 'editor'],
      ['vi', 'viewer'],
      ['vo', 'viewer'],
    ] as const) {
      const body = {
        email: `${n}@example.com`,
        first_name: 'Seed',
        last_name: n,
        role,
        credentials: { username: `ov_${n}`, secret: `password-of-${n}` },
      };
      expect((await http.post('/users', body, owner)).status).toBe(201);
    }
    await http.signIn('ov_vi', 'password-of-vi');
    // A lockout: three wrong passwords for an existing account.
    for (let i = 0; i < 3; i++)
      expect(
        (await http.post('/users/tokens/issue', { identity: 'ov_vo', secret: 'not-the-one' })).status,
      ).toBe(401);
    const vo = (await http.get('/users?username=ov_vo', owner)).body.users[0].id as string;
    expect((await http.post(`/users/${vo}/disable`, undefined, owner)).status).toBe(200);

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
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await users?.stop();
    await auth?.stop();
  });

  afterEach(() => {
    const seen = problems.splice(0);
    expect(seen).toEqual([]); // no console error, no CSP violation
  });

  it('is where admins land: its figures equal GET /stats/overview and its charts are drawn', async () => {
    const ctx = await newContext(1280);
    const page = await ctx.newPage();
    await signInAsOwner(page);
    expect(new URL(page.url()).pathname).toBe('/dashboard/overview');
    const o = (await http.get('/stats/overview', owner)).body;
    const figure = async (id: string) =>
      Number(((await page.locator(`[data-stat="${id}"]`).textContent()) ?? '').replace(/,/g, ''));
    // The page signed in once more than the API answer above counted: read it again after the page.
    const now = (await http.get('/stats/overview', owner)).body;
    expect(await figure('failed-24h')).toBe(now.sign_ins.last_24h.failed);
    expect(await figure('lockouts-24h')).toBe(now.sign_ins.last_24h.lockouts);
    expect(await figure('lockouts-24h')).toBe(1);
    expect(await figure('signins-24h')).toBeGreaterThanOrEqual(o.sign_ins.last_24h.succeeded);
    expect(await figure('signins-24h')).toBeLessThanOrEqual(now.sign_ins.last_24h.succeeded);
    expect(await figure('failed-30d')).toBe(now.sign_ins.last_30d.failed);
    expect(await figure('new-users-30d')).toBe(now.new_users.last_30d);
    expect(await figure('users-total')).toBe(now.users.total);
    expect(await figure('users-total')).toBe(5);
    for (const role of ['viewer', 'editor', 'admin', 'owner'])
      expect(await figure(`role-${role}`)).toBe(now.users.by_role[role] ?? 0);
    expect(await figure('status-disabled')).toBe(1);
    // The latest security events: the lockout and the disable are listed.
    await page.getByRole('cell', { name: 'locked', exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'user_disabled', exact: true }).waitFor();

    for (const chart of ['chart-signins-24h', 'chart-signins-30d', 'chart-new-users'])
      expect(await inkedPixels(page, chart)).toBeGreaterThan(500);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-overview.png'), fullPage: true });

    // Each figure links to the list behind it.
    await page.locator('[data-stat="role-admin"]').click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(new URL(page.url()).search).toBe('?role=admin&status=all');
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1 user/ })
      .waitFor();
    await page.goBack();
    await page.locator('[data-stat="failed-24h"]').click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('signin_failed');
    await page.getByText(`${now.sign_ins.last_24h.failed} events`, { exact: true }).waitFor();
    await ctx.close();
  });

  it('is readable at 360 px and follows the dark system setting', async () => {
    const ctx = await newContext(360, 'dark');
    const page = await ctx.newPage();
    await signInAsOwner(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await inkedPixels(page, 'chart-signins-24h')).toBeGreaterThan(500);
    const bg = await page.locator('html').evaluate((b) => getComputedStyle(b as never).backgroundColor);
    expect(bg).toBe('rgb(11, 18, 32)'); // --bg of the dark palette
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-overview-360-dark.png'), fullPage: true });
    await ctx.close();
  });
});
declare function getComputedStyle(e: never): { backgroundColor: string };
