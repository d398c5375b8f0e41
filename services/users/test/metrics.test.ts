import {
  api,
  newUserBody,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

/** The value of one series of a Prometheus text page; `labels` must all appear in its label set. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

// GET /metrics of the users service: HTTP by route/method/status, sign-ins by outcome, lockouts,
// domain calls, Node process metrics.
describe('users /metrics', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  const scrape = async () => {
    const res = await fetch(`${users.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_USERS_LOCKOUT_THRESHOLD: '3' });
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('counts sign-ins by outcome and lockouts as they start, beside HTTP and process series', async () => {
    const before = await scrape();
    for (const outcome of ['success', 'failure', 'locked', 'error']) {
      expect(sample(before, 'usher_users_signins_total', { outcome })).toBe(0); // present before any sign-in
    }
    expect(sample(before, 'usher_users_lockouts_total')).toBe(0);

    expect((await http.post('/users', newUserBody('metrics'))).status).toBe(201);
    const { access_token } = await http.signIn('user_metrics', 'secret-metrics-long');
    // three wrong secrets reach the threshold: the third starts the lockout
    for (let i = 0; i < 3; i++) {
      expect(
        (await http.post('/users/tokens/issue', { identity: 'user_metrics', secret: 'wrong-secret' })).status,
      ).toBe(401);
    }
    // refused while locked, even with the right secret
    expect(
      (await http.post('/users/tokens/issue', { identity: 'user_metrics', secret: 'secret-metrics-long' }))
        .status,
    ).toBe(423);
    // a wrong old secret while locked counts one more failure, but it is the same lockout
    const change = await http.patch(
      '/users/secret',
      { old_secret: 'wrong-secret', new_secret: 'n3w-secret-long' },
      access_token,
    );
    expect(change.status).toBe(423);

    const text = await scrape();
    expect(sample(text, 'usher_users_signins_total', { outcome: 'success' })).toBe(1);
    expect(sample(text, 'usher_users_signins_total', { outcome: 'failure' })).toBe(3);
    expect(sample(text, 'usher_users_signins_total', { outcome: 'locked' })).toBe(1);
    expect(sample(text, 'usher_users_signins_total', { outcome: 'error' })).toBe(0);
    expect(sample(text, 'usher_users_lockouts_total')).toBe(1);

    const issue = { method: 'POST', route: '/users/tokens/issue' };
    expect(sample(text, 'usher_http_requests_total', { ...issue, code: '201' })).toBe(1);
    expect(sample(text, 'usher_http_requests_total', { ...issue, code: '401' })).toBe(3);
    expect(sample(text, 'usher_http_requests_total', { ...issue, code: '423' })).toBe(1);
    expect(sample(text, 'usher_http_request_duration_seconds_count', { ...issue, code: '401' })).toBe(3);
    expect(sample(text, 'usher_http_requests_total', { method: 'POST', route: '/users', code: '201' })).toBe(
      1,
    );
    expect(sample(text, 'usher_users_calls_total', { method: 'issue_token', outcome: 'locked' })).toBe(1);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/service="users"/);
  });
});
