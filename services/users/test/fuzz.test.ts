import { Client } from 'pg';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// Malformed values on every route: the answer is always a 4xx `{error, message}` (never a 500, a
// hang or a crash) and the accounts are left exactly as they were.
const BAD_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  '💥',
  "' or 1=1 --",
  '%',
  [],
  [null],
  {},
  { $gt: '' },
  '00000000-0000-0000-0000-00000000000g',
];
const BAD_IDS = ['not-a-uuid', '1', "'; drop table users; --", '%2e%2e', 'x'.repeat(300)];
const BAD_QUERIES = [
  'limit=0',
  'limit=1000',
  'limit=-5',
  'offset=x',
  'status=%00',
  'metadata=%7B',
  'metadata=null',
  'order=id;drop',
  'dir=sideways',
  'created_from=2020-13-45',
  'tags=',
  'role=9',
  'only_total=2',
  'unknown=1',
];
const FIELDS = [
  'first_name',
  'last_name',
  'email',
  'credentials',
  'role',
  'status',
  'tags',
  'metadata',
  'picture',
  'identity',
  'secret',
  'old_secret',
  'new_secret',
  'username',
  'name',
  'expires_in',
  'token',
  'password',
  'confirm_password',
];

describe('fuzz: malformed input on every route', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let targetId: string;
  let db: Client;

  const snapshot = async () => {
    const { rows } = await db.query(`
      select (select md5(coalesce(string_agg(row_to_json(u)::text, ',' order by id), '')) from users.users u) as users,
             (select md5(coalesce(string_agg(row_to_json(c)::text, ',' order by user_id), '')) from users.credentials c) as creds`);
    return rows[0];
  };

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    targetId = (await http.post('/users', newUserBody('fz'), owner)).body.id;
    db = new Client({ connectionString: users.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await users?.stop();
    await auth?.stop();
  });

  const expect4xx = (res: { status: number; body: unknown }, what: string) => {
    if (res.status < 400 || res.status >= 500)
      throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.body).toEqual(
      expect.objectContaining({ error: expect.any(String), message: expect.any(String) }),
    );
  };

  /**
   * For probes that may hit a value the route accepts (an empty last name is a fine last name):
   * an accepted request moves the baseline; a refused one must leave the accounts untouched.
   */
  let baseline: Awaited<ReturnType<typeof snapshot>>;
  const probe = async (res: { status: number; body: unknown }, what: string) => {
    if (res.status < 300) {
      baseline = await snapshot();
      return;
    }
    expect4xx(res, what);
    const now = await snapshot();
    if (now.users !== baseline.users || now.creds !== baseline.creds)
      throw new Error(`${what} was refused but changed the database`);
  };

  it('answers 4xx to malformed bodies, ids and queries and changes nothing', async () => {
    baseline = await snapshot();
    const bodyRoutes: [string, string][] = [
      ['POST', '/users'],
      ['POST', '/users/tokens/issue'],
      ['PATCH', `/users/${targetId}`],
      ['PATCH', `/users/${targetId}/email`],
      ['PATCH', `/users/${targetId}/username`],
      ['PATCH', `/users/${targetId}/picture`],
      ['PATCH', `/users/${targetId}/tags`],
      ['PATCH', `/users/${targetId}/role`],
      ['PATCH', `/users/${targetId}/secret`],
      ['PATCH', '/users/secret'],
      ['POST', '/users/keys'],
      ['POST', '/password/reset-request'],
      ['PUT', '/password/reset'],
      ['POST', '/users/invitations'],
      ['POST', '/users/invitations/accept'],
    ];
    for (const [method, path] of bodyRoutes) {
      // Not JSON at all, JSON of the wrong shape, and each field set to each bad value.
      for (const raw of ['{', '[1,2', 'null', '42', '"text"', '[]']) {
        const res = await fetch(users.url + path, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
          body: raw,
        });
        const body = await res.json().catch(() => undefined);
        expect4xx({ status: res.status, body }, `${method} ${path} ${raw}`);
      }
      for (const field of FIELDS) {
        for (const value of BAD_VALUES) {
          const body =
            method === 'POST' && path === '/users'
              ? {
                  ...newUserBody('never'),
                  email: 'never@example.com',
                  [field]: value,
                  ...(field === 'email' ? {} : { credentials: { username: 'ok_name', secret: value } }),
                }
              : { [field]: value };
          const res =
            method === 'POST'
              ? await http.post(path, body, owner)
              : method === 'PUT'
                ? await http.put(path, body, owner)
                : await http.patch(path, body, owner);
          await probe(res, `${method} ${path} ${field}=${JSON.stringify(value)?.slice(0, 40)}`);
        }
      }
    }
    for (const id of BAD_IDS) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/enable'],
        ['POST', '/disable'],
        ['POST', '/unlock'],
        ['GET', '/sessions'],
        ['DELETE', '/sessions'],
        ['PATCH', '/role'],
        ['POST', '/temporary-password'],
      ] as const) {
        const path = `/users/${encodeURIComponent(id)}${suffix}`;
        const res =
          method === 'GET'
            ? await http.get(path, owner)
            : method === 'DELETE'
              ? await http.del(path, owner)
              : method === 'POST'
                ? await http.post(path, undefined, owner)
                : await http.patch(path, { role: 'viewer' }, owner);
        expect4xx(res, `${method} ${path}`);
      }
    }
    for (const q of BAD_QUERIES) {
      expect4xx(await http.get(`/users?${q}`, owner), `GET /users?${q}`);
      expect4xx(await http.get(`/users/search?${q}`, owner), `GET /users/search?${q}`);
      expect4xx(await http.get(`/audit?${q}`, owner), `GET /audit?${q}`);
      expect4xx(await http.get(`/users/invitations?${q}`, owner), `GET /users/invitations?${q}`);
      expect4xx(await http.get(`/verify-email?${q}`), `GET /verify-email?${q}`);
    }
    for (const id of BAD_IDS) {
      expect4xx(
        await http.del(`/users/sessions/${encodeURIComponent(id)}`, owner),
        `DELETE /users/sessions/${id}`,
      );
      expect4xx(await http.del(`/users/keys/${encodeURIComponent(id)}`, owner), `DELETE /users/keys/${id}`);
      expect4xx(
        await http.del(`/users/invitations/${encodeURIComponent(id)}`, owner),
        `DELETE /users/invitations/${id}`,
      );
    }
    for (const token of ['', 'a', 'a.b.c', 'x'.repeat(10000), 'usher_pat_x', '\u0000']) {
      const res = await fetch(`${users.url}/users/profile`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      if (res)
        expect4xx(
          { status: res.status, body: await res.json().catch(() => ({})) },
          `token ${token.slice(0, 10)}`,
        );
    }
    expect(await snapshot()).toEqual(baseline);
    // Generous: some thousand requests with a database snapshot each, on a shared CI machine.
  }, 300_000);
});
