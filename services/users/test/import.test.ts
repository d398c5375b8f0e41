import bcrypt from 'bcrypt';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('POST /users/import', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let admin: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    expect((await http.post('/users', newUserBody('iadmin', { role: 'admin' }), owner)).status).toBe(201);
    admin = (await http.signIn('user_iadmin', 'secret-iadmin-long')).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('keeps existing bcrypt hashes, hashes plain secrets and reports bad rows by index', async () => {
    const hash2y = (await bcrypt.hash('kept-password-1', 4)).replace(/^\$2b\$/, '$2y$');
    const res = await http.post(
      '/users/import',
      {
        users: [
          { email: 'kept@example.com', username: 'kept', secret_hash: hash2y, role: 'editor', tags: ['x'] },
          { email: 'plain@example.com', username: 'plain', secret: 'plain-password-1', first_name: 'Pla' },
          { email: 'bad-hash@example.com', username: 'badhash', secret_hash: '$2b$04$short' },
          { email: 'not-an-email', username: 'noemail', secret: 'whatever-123' },
          { email: 'both@example.com', username: 'both', secret: 'whatever-123', secret_hash: hash2y },
          { email: 'KEPT@example.com', username: 'kept2', secret: 'whatever-123' },
          { email: OWNER.email, username: 'other', secret: 'whatever-123' },
          { email: 'short@example.com', username: 'short', secret: 'x' },
          'not an object',
        ],
      },
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dry_run: false, created: 2, failed: 7 });
    const outcomes = res.body.results.map((r: { outcome: string }) => r.outcome);
    expect(outcomes).toEqual([
      'created',
      'created',
      'invalid',
      'invalid',
      'invalid',
      'conflict',
      'conflict',
      'invalid',
      'invalid',
    ]);
    expect(res.body.results[2].message).toMatch(/not a bcrypt hash/);
    expect(res.body.results[4].message).toMatch(/exactly one of secret_hash and secret/);
    expect(res.body.results[6].message).toMatch(/email already taken/);
    expect(res.body.results[7].message).toMatch(/password policy/);

    expect((await http.signIn('kept@example.com', 'kept-password-1')).access_token).toBeTruthy();
    expect((await http.signIn('plain', 'plain-password-1')).access_token).toBeTruthy();
    const kept = await http.get(`/users/${res.body.results[0].id}`, owner);
    expect(kept.body).toMatchObject({ role: 'editor', status: 'enabled', tags: ['x'] });
    const audit = await http.get(`/audit?type=user_created&user_id=${res.body.results[0].id}`, owner);
    expect(audit.body.events[0].details).toMatchObject({ via: 'import', role: 'editor' });
    expect(JSON.stringify(audit.body)).not.toContain(hash2y);
  });

  it('writes nothing on a dry run', async () => {
    const res = await http.post(
      '/users/import',
      {
        dry_run: true,
        users: [{ email: 'dry@example.com', username: 'dry', secret: 'dry-password-1' }, { email: 'x' }],
      },
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dry_run: true, created: 0, failed: 1 });
    expect(res.body.results[0]).toEqual({ index: 0, outcome: 'valid' });
    expect((await http.get('/users?email=dry@example.com', owner)).body.total).toBe(0);
  });

  it('is for owners only, and refuses a malformed batch', async () => {
    const body = { users: [{ email: 'a@example.com', username: 'aaa', secret: 'a-password-1' }] };
    expect((await http.post('/users/import', body, admin)).status).toBe(403);
    expect((await http.post('/users/import', body)).status).toBe(401);
    expect((await http.post('/users/import', { users: [] }, owner)).status).toBe(400);
    expect((await http.post('/users/import', { users: [], extra: 1 }, owner)).status).toBe(400);
  });
});
