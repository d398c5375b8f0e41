import http from 'http';
import type { AddressInfo } from 'net';
import express from 'express';
import { createAuthClient, requireAuth, type AuthClient } from '@usher/auth-client';
import {
  callerOf,
  createTestDatabase,
  freePort,
  TEST_CALLERS,
  testNatsUrl,
  waitFor,
  type TestDatabase,
} from '@usher/testkit';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// Issue 15 §2: two auth replicas, two users replicas and a third service using requireAuth(): a
// revocation through users A / auth A is refused by users B (auth B) and the third service
// (streaming from auth B) within 1 s; with NATS up, and with NATS down (the PostgreSQL poll).

describe.each([
  ['NATS up', async () => testNatsUrl()],
  ['NATS down', async () => `nats://127.0.0.1:${await freePort()}`],
])('revocations reach every verifier within 1 s (%s)', (_name, natsUrl) => {
  let authDb: TestDatabase;
  let usersDb: TestDatabase;
  let authA: AuthProcess;
  let authB: AuthProcess;
  let usersA: UsersInstance;
  let usersB: UsersInstance;
  let client: AuthClient;
  let third: http.Server;
  let thirdUrl: string;
  let n = 0;

  beforeAll(async () => {
    [authDb, usersDb] = await Promise.all([createTestDatabase('e2eauth'), createTestDatabase('e2eusers')]);
    const env = { USHER_DB_URL: authDb.url, USHER_AUTH_ES_URL: await natsUrl() };
    authA = await startAuthProcess(env);
    authB = await startAuthProcess(env);
    usersA = await startUsers(authA.address, { USHER_DB_URL: usersDb.url });
    usersB = await startUsers(authB.address, { USHER_DB_URL: usersDb.url });
    // the third service is a named verifier: it may check tokens and watch revocations, not issue
    client = createAuthClient({
      url: authB.address,
      timeoutMs: 3000,
      caller: callerOf(TEST_CALLERS.verifier),
    });
    const app = express();
    app.get('/me', requireAuth(client), (req, res) => {
      res.json(req.principal);
    });
    third = http.createServer(app);
    await new Promise<void>((resolve) => third.listen(0, '127.0.0.1', resolve));
    thirdUrl = `http://127.0.0.1:${(third.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => third?.close(resolve));
    client?.close();
    await usersA?.stop();
    await usersB?.stop();
    await authA?.stop();
    await authB?.stop();
    await authDb?.drop();
    await usersDb?.drop();
  });

  /** A new viewer signed in through users A: its id, password and access token. */
  async function signedIn() {
    const name = `e2e${n++}${Date.now() % 100000}`;
    const body = newUserBody(name);
    const created = await api(usersA.url).post('/users', body);
    expect(created.status).toBe(201);
    const { access_token } = await api(usersA.url).signIn(body.credentials.username, body.credentials.secret);
    return { id: created.body.id as string, secret: body.credentials.secret, token: access_token };
  }

  const status = async (url: string, token: string) =>
    (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;

  /** Accepted by users B and the third service now, refused by both within 1 s of `revoke`. */
  async function refusedEverywhere(token: string, revoke: () => Promise<unknown>) {
    await waitFor(async () => (await status(`${thirdUrl}/me`, token)) === 200, 5000, 20); // stream up
    expect(await status(`${usersB.url}/users/profile`, token)).toBe(200);
    await revoke();
    await waitFor(
      async () =>
        (await status(`${usersB.url}/users/profile`, token)) === 401 &&
        (await status(`${thirdUrl}/me`, token)) === 401,
      1000,
      10,
    );
  }

  const owner = () => api(usersA.url).signIn(OWNER.username, OWNER.password);

  it('sign-out', async () => {
    const u = await signedIn();
    await refusedEverywhere(u.token, () => api(usersA.url).post('/users/tokens/revoke', undefined, u.token));
  });

  it('session revoke', async () => {
    const u = await signedIn();
    const sessions = await api(usersA.url).get('/users/sessions', u.token);
    const sid = (sessions.body.sessions as { id: string }[])[0]!.id;
    await refusedEverywhere(u.token, async () =>
      expect((await api(usersA.url).del(`/users/sessions/${sid}`, u.token)).status).toBe(204),
    );
  });

  it('disable', async () => {
    const u = await signedIn();
    const { access_token } = await owner();
    await refusedEverywhere(u.token, () =>
      api(usersA.url).post(`/users/${u.id}/disable`, undefined, access_token),
    );
  });

  it('role change', async () => {
    const u = await signedIn();
    const { access_token } = await owner();
    await refusedEverywhere(u.token, () =>
      api(usersA.url).patch(`/users/${u.id}/role`, { role: 'editor' }, access_token),
    );
  });

  it('password change', async () => {
    const u = await signedIn();
    await refusedEverywhere(u.token, () =>
      api(usersA.url).patch(
        '/users/secret',
        { old_secret: u.secret, new_secret: `${u.secret}-new` },
        u.token,
      ),
    );
  });
});
