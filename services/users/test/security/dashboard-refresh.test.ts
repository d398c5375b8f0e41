import { sleep } from '../smtp';
import { api, OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from '../harness';

// The dashboard backend trades the refresh cookie for the page. A refresh token is single-use, so
// requests already on their way with the old cookies share the new pair, but only requests that
// also carry the matching access cookie, for a few seconds: someone holding a stolen, spent refresh
// cookie alone trips reuse detection (the session ends) instead of receiving the new pair.

jest.setTimeout(120_000);

const ACCESS_TTL_S = 2;
const CSRF = 'csrf-test-value-0123456789';

interface Jar {
  at?: string;
  rt?: string;
}

/**
 * One dashboard request with these cookies (and the CSRF pair unless `csrf: false`); the token
 * cookies it sets back, cleared ones left out.
 */
async function dash(
  base: string,
  method: string,
  path: string,
  jar: Jar,
  opts: { csrf?: boolean; body?: unknown } = {},
) {
  const cookies = [`usher_csrf=${CSRF}`];
  if (jar.at) cookies.push(`usher_at=${jar.at}`);
  if (jar.rt) cookies.push(`usher_rt=${jar.rt}`);
  const headers: Record<string, string> = { cookie: cookies.join('; ') };
  if (opts.csrf !== false) headers['x-usher-csrf'] = CSRF;
  if (opts.body) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/dashboard/api${path}`, {
    method,
    headers,
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  const set: Jar = {};
  for (const c of res.headers.getSetCookie()) {
    const m = /^(usher_at|usher_rt)=([^;]*)/.exec(c);
    if (m && m[2]) set[m[1] === 'usher_at' ? 'at' : 'rt'] = decodeURIComponent(m[2]);
  }
  const text = await res.text();
  return { status: res.status, set, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('dashboard shared refresh', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;

  beforeAll(async () => {
    auth = await startAuthProcess({ USHER_AUTH_ACCESS_TOKEN_DURATION: `${ACCESS_TTL_S}s` });
    users = await startUsers(auth.address);
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  async function signedInJar(): Promise<Jar> {
    const res = await dash(
      users.url,
      'POST',
      '/session',
      {},
      { body: { identity: OWNER.email, secret: OWNER.password } },
    );
    expect(res.status).toBe(204);
    expect(res.set.at && res.set.rt).toBeTruthy();
    // Past the access token's life: the next request trades the refresh cookie.
    await sleep(ACCESS_TTL_S * 1000 + 1200);
    return res.set;
  }

  it('GET /session wants the CSRF token (it may trade the refresh cookie)', async () => {
    const jar = await signedInJar();
    const res = await dash(users.url, 'GET', '/session', jar, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('csrf_refused');
    expect(res.set).toEqual({});
  });

  it('a stolen, spent refresh cookie alone trips reuse detection instead of receiving the new pair', async () => {
    const jar = await signedInJar();
    const owner = await dash(users.url, 'GET', '/session', jar);
    expect(owner.body).toEqual({ signed_in: true });
    expect(owner.set.at && owner.set.rt).toBeTruthy();
    // The thief replays the spent refresh cookie at once, without the matching access cookie.
    const thief = await dash(users.url, 'GET', '/session', { rt: jar.rt });
    expect(thief.body).toEqual({ signed_in: false });
    expect(thief.set.rt).not.toBe(owner.set.rt);
    expect(thief.set.at).not.toBe(owner.set.at);
    // Reuse ended the whole session: the owner's new pair is dead too, and it was audited.
    const after = await dash(users.url, 'GET', '/users/profile', owner.set);
    expect(after.status).toBe(401);
    const admin = await http.signIn(OWNER.email, OWNER.password);
    const audit = await http.get('/audit?type=refresh_reuse_detected&limit=10', admin.access_token);
    expect(audit.body.total).toBeGreaterThanOrEqual(1);
  });

  it('a stolen refresh cookie with a forged access cookie gets nothing either', async () => {
    const jar = await signedInJar();
    const owner = await dash(users.url, 'GET', '/session', jar);
    expect(owner.set.rt).toBeTruthy();
    const thief = await dash(users.url, 'GET', '/session', { at: 'forged.access.token', rt: jar.rt });
    expect(thief.body).toEqual({ signed_in: false });
    expect(thief.set.rt).not.toBe(owner.set.rt);
    expect(thief.set.at).not.toBe(owner.set.at);
  });

  it('requests of the same page (same cookies, sent together) still share one refresh', async () => {
    const jar = await signedInJar();
    const answers = await Promise.all([
      dash(users.url, 'GET', '/session', jar),
      dash(users.url, 'GET', '/users/profile', jar),
      dash(users.url, 'GET', '/session', jar),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.set.rt)).size).toBe(1);
    // No reuse was detected: the shared pair works.
    const next = await dash(users.url, 'GET', '/users/profile', answers[0]!.set);
    expect(next.status).toBe(200);
  });
});
