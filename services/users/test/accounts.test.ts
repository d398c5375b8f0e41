import crypto from 'crypto';
import { Client } from 'pg';
import { waitFor } from '@usher/testkit';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

describe('accounts: list, search, updates, status, delete', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;
  let admin: string;

  const create = async (n: string, over: Record<string, unknown> = {}, token = owner) => {
    const res = await http.post('/users', newUserBody(n, over), token);
    expect(res.status).toBe(201);
    return res.body as { id: string; email: string; credentials: { username: string } };
  };
  const tokenOf = async (n: string) => (await http.signIn(`user_${n}`, `secret-${n}-long`)).access_token;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address, {
      USHER_USERS_DELETE_INTERVAL: '1s',
      USHER_USERS_DELETE_AFTER: '2s',
    });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    await create('admin', { role: 'admin' });
    admin = await tokenOf('admin');
    await create('alice', {
      first_name: 'Alice',
      last_name: 'Zephyr',
      tags: ['red', 'blue'],
      metadata: { team: 'core', level: 3 },
    });
    await create('bob', {
      first_name: 'Bob',
      last_name: 'Yellow',
      tags: ['blue'],
      metadata: { team: 'edge' },
    });
    await create('carol', { first_name: 'Carol', last_name: 'Xu', role: 'editor', tags: ['green'] });
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  describe('GET /users', () => {
    it('pages with total, offset and limit', async () => {
      const res = await http.get('/users?limit=2&offset=1&order=username&dir=asc', admin);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 5, offset: 1, limit: 2 });
      expect(
        res.body.users.map((u: { credentials: { username: string } }) => u.credentials.username),
      ).toEqual(['user_admin', 'user_alice']);
    });

    it('filters by text fragments, tags, metadata containment, role and dates', async () => {
      const names = async (q: string) =>
        (await http.get(`/users?limit=100&${q}`, admin)).body.users
          .map((u: { credentials: { username: string } }) => u.credentials.username)
          .sort();
      expect(await names('email=ALICE')).toEqual(['user_alice']);
      expect(await names('username=ser_b')).toEqual(['user_bob']);
      expect(await names('first_name=car')).toEqual(['user_carol']);
      expect(await names('last_name=yell')).toEqual(['user_bob']);
      expect(await names('tags=blue')).toEqual(['user_alice', 'user_bob']);
      // Magistrala's tags semantics: a,b is any of them; a+b (the + sent as %2B) all of them.
      expect(await names('tags=blue,red')).toEqual(['user_alice', 'user_bob']);
      expect(await names('tags=blue%2Bred')).toEqual(['user_alice']);
      expect(await names('tags=red,green')).toEqual(['user_alice', 'user_carol']);
      expect(await names(`metadata=${encodeURIComponent('{"team":"core"}')}`)).toEqual(['user_alice']);
      expect(await names('role=editor')).toEqual(['user_carol']);
      expect(
        await names(`created_from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
      ).toEqual([]);
      expect(
        (await names(`created_to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length,
      ).toBe(5);
      expect(await names('email=%25')).toEqual([]); // LIKE wildcards match themselves
    });

    it('answers only the total when asked', async () => {
      const res = await http.get('/users?only_total=true', admin);
      expect(res.body).toEqual({ total: 5, offset: 0, limit: 10 });
    });

    it('refuses every invalid parameter with 400 naming it', async () => {
      for (const [q, field] of [
        ['limit=0', 'limit'],
        ['limit=1000', 'limit'],
        ['limit=ten', 'limit'],
        ['offset=-1', 'offset'],
        ['status=gone', 'status'],
        ['order=password', 'order'],
        ['dir=up', 'dir'],
        ['role=god', 'role'],
        ['metadata=%7Bbad', 'metadata'],
        ['metadata=%5B1%5D', 'metadata'],
        ['created_from=yesterday', 'created_from'],
        ['only_total=maybe', 'only_total'],
        ['secret=x', ''],
      ]) {
        const res = await http.get(`/users?${q}`, admin);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
        if (field) expect(res.body.message).toMatch(new RegExp(`^${field}: `));
      }
    });

    it('is for admins and above', async () => {
      expect((await http.get('/users', await tokenOf('carol'))).status).toBe(403);
      expect((await http.get('/users')).status).toBe(401);
    });
  });

  describe('GET /users/search', () => {
    it('matches substrings case-insensitively; ordinary users see only public fields', async () => {
      const viewer = await tokenOf('bob');
      const res = await http.get('/users/search?first_name=ALI', viewer);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.users[0]).toEqual({
        id: expect.any(String),
        first_name: 'Alice',
        last_name: 'Zephyr',
        credentials: { username: 'user_alice' },
        profile_picture: '',
      });
      const full = await http.get('/users/search?username=user_', admin);
      expect(full.body.total).toBe(4);
      expect(full.body.users[0]).toHaveProperty('email');
      const byId = await http.get(`/users/search?id=${res.body.users[0].id}`, viewer);
      expect(byId.body.users).toHaveLength(1);
    });

    it('needs at least one criterion and validates each', async () => {
      const viewer = await tokenOf('bob');
      expect((await http.get('/users/search', viewer)).status).toBe(400);
      // id is a partial match of at least 3 characters, as in Magistrala.
      expect((await http.get('/users/search?id=no', viewer)).status).toBe(400);
      expect((await http.get('/users/search?email=a&limit=101', viewer)).status).toBe(400);
    });
  });

  describe('updates', () => {
    it('PATCH /users/{id} changes names, metadata, tags and picture and stamps who and when', async () => {
      const dave = await create('dave');
      const res = await http.patch(
        `/users/${dave.id}`,
        {
          first_name: 'David',
          last_name: 'Vane',
          metadata: { a: 1 },
          tags: ['x'],
          picture: 'https://example.com/d.png',
        },
        admin,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        first_name: 'David',
        last_name: 'Vane',
        metadata: { a: 1 },
        tags: ['x'],
        profile_picture: 'https://example.com/d.png',
      });
      expect(res.body.updated_by).toBe((await http.get('/users/profile', admin)).body.id);
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.now() - 60_000);
      expect((await http.patch(`/users/${dave.id}`, {}, admin)).status).toBe(400);
      expect((await http.patch(`/users/${dave.id}`, { role: 'owner' }, admin)).status).toBe(400);
      expect((await http.patch(`/users/${crypto.randomUUID()}`, { first_name: 'x' }, admin)).status).toBe(
        404,
      );
    });

    it('PATCH /users/{id}/email, /username, /picture, /tags; taken values answer 409', async () => {
      const erin = await create('erin');
      const self = await tokenOf('erin');
      expect(
        (await http.patch(`/users/${erin.id}/email`, { email: 'erin.new@example.com' }, self)).body.email,
      ).toBe('erin.new@example.com');
      expect(
        (await http.patch(`/users/${erin.id}/username`, { username: 'erin2' }, self)).body.credentials
          .username,
      ).toBe('erin2');
      expect(
        (await http.patch(`/users/${erin.id}/picture`, { picture: 'p.png' }, self)).body.profile_picture,
      ).toBe('p.png');
      expect((await http.patch(`/users/${erin.id}/tags`, { tags: ['t1', 't2'] }, self)).body.tags).toEqual([
        't1',
        't2',
      ]);
      expect(
        (await http.patch(`/users/${erin.id}/email`, { email: 'USER-ALICE@example.com' }, self)).status,
      ).toBe(409);
      expect((await http.patch(`/users/${erin.id}/username`, { username: 'user_bob' }, self)).status).toBe(
        409,
      );
      expect((await http.patch(`/users/${erin.id}/email`, { email: 'nope' }, self)).status).toBe(400);
      expect((await http.signIn('erin2', 'secret-erin-long')).access_type).toBe('Bearer');
    });
  });

  describe('changes that revoke sessions at once', () => {
    it('role change, disable, delete and password change refuse the current access token on the next request', async () => {
      for (const [n, change] of [
        ['rc', (id: string) => http.patch(`/users/${id}/role`, { role: 'editor' }, owner)],
        ['dis', (id: string) => http.post(`/users/${id}/disable`, undefined, owner)],
        ['del', (id: string) => http.del(`/users/${id}`, owner)],
        ['pw', (id: string) => http.patch(`/users/${id}/secret`, { new_secret: 'brand-new-secret' }, admin)],
      ] as const) {
        const u = await create(n);
        const token = await tokenOf(n);
        expect((await http.get('/users/profile', token)).status).toBe(200);
        const res = await change(u.id);
        expect(res.status).toBeLessThan(300);
        expect((await http.get('/users/profile', token)).status).toBe(401);
      }
    });

    it('PATCH /users/secret: the old secret must match; then every session ends and the new secret works', async () => {
      await create('sec');
      const token = await tokenOf('sec');
      expect(
        (
          await http.patch(
            '/users/secret',
            { old_secret: 'wrong-old-secret', new_secret: 'next-secret-123' },
            token,
          )
        ).status,
      ).toBe(401);
      expect(
        (await http.patch('/users/secret', { old_secret: 'secret-sec-long', new_secret: 'short' }, token))
          .status,
      ).toBe(400);
      const ok = await http.patch(
        '/users/secret',
        { old_secret: 'secret-sec-long', new_secret: 'next-secret-123' },
        token,
      );
      expect(ok.status).toBe(200);
      expect((await http.get('/users/profile', token)).status).toBe(401);
      expect(
        (await http.post('/users/tokens/issue', { identity: 'user_sec', secret: 'secret-sec-long' })).status,
      ).toBe(401);
      expect((await http.signIn('user_sec', 'next-secret-123')).access_token).toBeTruthy();
    });
  });

  describe('enable, disable, delete, purge', () => {
    it('a disabled user cannot sign in until enabled again', async () => {
      const u = await create('frank');
      const disabled = await http.post(`/users/${u.id}/disable`, undefined, admin);
      expect(disabled.body.status).toBe('disabled');
      expect(
        (await http.post('/users/tokens/issue', { identity: 'user_frank', secret: 'secret-frank-long' }))
          .status,
      ).toBe(401);
      expect(
        (await http.get('/users?status=disabled', admin)).body.users.map((x: { id: string }) => x.id),
      ).toContain(u.id);
      expect((await http.post(`/users/${u.id}/enable`, undefined, admin)).body.status).toBe('enabled');
      expect((await http.signIn('user_frank', 'secret-frank-long')).access_token).toBeTruthy();
    });

    it('delete is soft, then the purge job removes the row after USHER_USERS_DELETE_AFTER', async () => {
      const u = await create('gone');
      expect((await http.del(`/users/${u.id}`, owner)).status).toBe(204);
      expect(
        (await http.get(`/users?status=deleted`, admin)).body.users.map((x: { id: string }) => x.id),
      ).toContain(u.id);
      expect((await http.patch(`/users/${u.id}`, { first_name: 'x' }, owner)).status).toBe(404);
      expect((await http.del(`/users/${u.id}`, owner)).status).toBe(404);
      const db = new Client({ connectionString: users.db.url });
      await db.connect();
      try {
        await waitFor(
          async () => (await db.query('select 1 from users.users where id = $1', [u.id])).rowCount === 0,
          15_000,
          200,
        );
        const audit = await db.query(
          `select 1 from users.audit_log where type = 'user_purged' and target_id = $1`,
          [u.id],
        );
        expect(audit.rowCount).toBe(1);
      } finally {
        await db.end();
      }
    });

    it('purge=true removes an account at once, soft-deleted or not; owners only', async () => {
      const u = await create('purgeme');
      expect((await http.del(`/users/${u.id}?purge=true`, admin)).status).toBe(403);
      expect((await http.del(`/users/${u.id}?purge=maybe`, owner)).status).toBe(400);
      expect((await http.del(`/users/${u.id}?purge=true`, owner)).status).toBe(204);
      const v = await create('purgelater');
      expect((await http.del(`/users/${v.id}`, owner)).status).toBe(204);
      expect((await http.del(`/users/${v.id}?purge=true`, owner)).status).toBe(204);
      const db = new Client({ connectionString: users.db.url });
      await db.connect();
      try {
        const left = await db.query('select id from users.users where id = any($1)', [[u.id, v.id]]);
        expect(left.rowCount).toBe(0);
        const purged = await db.query(
          `select target_id from users.audit_log where type = 'user_purged' and target_id = any($1)`,
          [[u.id, v.id]],
        );
        expect(purged.rowCount).toBe(2);
      } finally {
        await db.end();
      }
      expect((await http.get(`/users/${u.id}`, owner)).status).toBe(404);
    });

    it('the last enabled owner cannot be demoted, disabled or deleted (409)', async () => {
      const ownerId = (await http.get('/users/profile', owner)).body.id;
      expect((await http.patch(`/users/${ownerId}/role`, { role: 'admin' }, owner)).status).toBe(409);
      expect((await http.post(`/users/${ownerId}/disable`, undefined, owner)).status).toBe(409);
      expect((await http.del(`/users/${ownerId}`, owner)).status).toBe(409);
      // With a second enabled owner, one of them may be demoted.
      const second = await create('owner2', { role: 'owner' });
      expect((await http.patch(`/users/${second.id}/role`, { role: 'admin' }, owner)).status).toBe(200);
    });
  });
});
