import * as grpc from '@grpc/grpc-js';
import { Client } from 'pg';
import type { AuthClient } from '@usher/auth-client';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import {
  authClientFor,
  clientErrorOf,
  codeOf,
  issueFor,
  newUserId,
  peek,
  sleep,
  startReplica,
  testConfig,
  type Replica,
} from './helpers';

/** What the users service sees of a refused refresh, through auth-client. */
const refusal = async (client: AuthClient, refreshToken: string) => {
  const err = await clientErrorOf(client.refresh(refreshToken));
  return { kind: err.kind, reason: err.reason, userId: err.userId, sessionId: err.sessionId };
};

describe('refresh tokens', () => {
  let db: TestDatabase;
  let auth: Replica;
  let client: AuthClient;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase('authrefresh');
    auth = await startReplica(testConfig(db.url));
    client = authClientFor(auth);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    client?.close();
    await pg?.end();
    await auth?.stop();
    await db?.drop();
  });

  const sessionRow = async (id: string) =>
    (
      await pg.query('SELECT revoked_at, revoked_reason, user_agent, ip FROM auth.sessions WHERE id = $1', [
        id,
      ])
    ).rows[0];

  it('rotates the pair on every use and stores only hashes', async () => {
    const user = newUserId();
    const first = await issueFor(auth.rpc, user);
    const second = await auth.rpc.refresh({
      refresh_token: first.refresh_token,
      client: { user_agent: 'Safari/17', ip: '10.1.2.3' },
    });
    expect(second.session_id).toBe(first.session_id);
    expect([first.user_id, second.user_id]).toEqual([user, user]);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(peek(second.access_token).payload.jti).not.toBe(peek(first.access_token).payload.jti);
    await expect(auth.rpc.authenticate(second.access_token)).resolves.toMatchObject({
      user_id: user,
      session_id: first.session_id,
    });
    const third = await auth.rpc.refresh({ refresh_token: second.refresh_token });
    await expect(auth.rpc.authenticate(third.access_token)).resolves.toBeDefined();

    expect(await sessionRow(first.session_id)).toMatchObject({
      revoked_at: null,
      user_agent: 'Safari/17',
      ip: '10.1.2.3',
    });
    const { rows } = await pg.query(
      'SELECT token_hash, used_at FROM auth.refresh_tokens WHERE session_id = $1',
      [first.session_id],
    );
    expect(rows).toHaveLength(3);
    const stored = JSON.stringify(rows);
    for (const t of [first, second, third]) expect(stored).not.toContain(t.refresh_token);
    expect(rows.filter((r) => r.used_at === null)).toHaveLength(1);
  });

  it('a spent refresh token revokes the whole session and is logged as a security event', async () => {
    const first = await issueFor(auth.rpc, newUserId());
    const second = await auth.rpc.refresh({ refresh_token: first.refresh_token });
    const third = await auth.rpc.refresh({ refresh_token: second.refresh_token });
    await expect(auth.rpc.authenticate(third.access_token)).resolves.toBeDefined();

    // replay of an old one
    expect(await codeOf(auth.rpc.refresh({ refresh_token: first.refresh_token }))).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    // the newest pair dies with the session
    expect(await codeOf(auth.rpc.authenticate(third.access_token))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await codeOf(auth.rpc.refresh({ refresh_token: third.refresh_token }))).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect(await sessionRow(first.session_id)).toMatchObject({ revoked_reason: 'refresh_token_reuse' });
    expect((await auth.rpc.listSessions(String(peek(first.access_token).payload.sub))).sessions).toEqual([]);

    const event = auth.lines.find(
      (l) => l.security_event === 'refresh_token_reuse' && l.session_id === first.session_id,
    );
    expect(event).toMatchObject({ level: 'warn' });
    const logged = JSON.stringify(auth.lines);
    for (const t of [first.refresh_token, second.refresh_token, third.refresh_token])
      expect(logged).not.toContain(t);
  });

  it('tells the caller why a refresh failed: reuse with the ids, then session_revoked', async () => {
    const user = newUserId();
    const first = await client.issue({ userId: user, role: 'viewer', verified: true });
    expect(first.userId).toBe(user);
    const second = await client.refresh(first.refreshToken);
    expect(second).toMatchObject({ userId: user, sessionId: first.sessionId });

    const reuse = await clientErrorOf(client.refresh(first.refreshToken));
    expect(reuse).toMatchObject({
      kind: 'unauthenticated',
      code: grpc.status.UNAUTHENTICATED,
      reason: 'refresh_token_reuse',
      userId: user,
      sessionId: first.sessionId,
    });
    // ids only, never a token
    expect(JSON.stringify({ ...reuse, message: reuse.message })).not.toContain(first.refreshToken);
    // the rightful holder of the newest token learns the session is gone, not "reuse"
    expect(await refusal(client, second.refreshToken)).toEqual({
      kind: 'unauthenticated',
      reason: 'session_revoked',
      userId: user,
      sessionId: first.sessionId,
    });
    // yet replaying a rotated token again is still reuse
    expect((await refusal(client, first.refreshToken)).reason).toBe('refresh_token_reuse');
  });

  it('a refresh of a signed-out session, and its retry, are session_revoked, not reuse', async () => {
    const user = newUserId();
    const pair = await client.issue({ userId: user, role: 'viewer', verified: true });
    await client.revokeSession(pair.sessionId, { reason: 'signed out' });
    const expected = {
      kind: 'unauthenticated',
      reason: 'session_revoked',
      userId: user,
      sessionId: pair.sessionId,
    };
    expect(await refusal(client, pair.refreshToken)).toEqual(expected);
    expect(await refusal(client, pair.refreshToken)).toEqual(expected);
    expect(await sessionRow(pair.sessionId)).toMatchObject({ revoked_reason: 'signed out' });
  });

  it('an unknown refresh token is invalid, without ids', async () => {
    expect(await refusal(client, 'x'.repeat(43))).toEqual({
      kind: 'unauthenticated',
      reason: 'invalid',
      userId: undefined,
      sessionId: undefined,
    });
  });

  it('two concurrent uses of one refresh token: at most one wins, and the family is burnt', async () => {
    const first = await issueFor(auth.rpc, newUserId());
    const results = await Promise.allSettled([
      auth.rpc.refresh({ refresh_token: first.refresh_token }),
      auth.rpc.refresh({ refresh_token: first.refresh_token }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
    // the loser replayed a spent token: the session is gone, whatever the winner got included
    expect(await sessionRow(first.session_id)).toMatchObject({ revoked_reason: 'refresh_token_reuse' });
    for (const r of results) {
      if (r.status === 'fulfilled') {
        expect(await codeOf(auth.rpc.authenticate(r.value.access_token))).toBe(grpc.status.UNAUTHENTICATED);
      }
    }
  });

  it('refuses unknown and empty refresh tokens', async () => {
    expect(await codeOf(auth.rpc.refresh({ refresh_token: 'x'.repeat(43) }))).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect(await codeOf(auth.rpc.refresh({ refresh_token: '' }))).toBe(grpc.status.UNAUTHENTICATED);
    const pair = await issueFor(auth.rpc, newUserId());
    expect(await codeOf(auth.rpc.refresh({ refresh_token: pair.access_token }))).toBe(
      grpc.status.UNAUTHENTICATED,
    );
  });

  describe('session lifetimes', () => {
    let short: Replica;
    let shortClient: AuthClient | undefined;
    afterEach(async () => {
      shortClient?.close();
      await short?.stop();
    });

    it('ends a session idle for longer than the idle timeout', async () => {
      short = await startReplica(testConfig(db.url, { sessionIdleMs: 1000, sessionTtlMs: 60_000 }));
      const pair = await issueFor(short.rpc, newUserId());
      const user = String(peek(pair.access_token).payload.sub);
      // access never outlives the idle end
      expect(pair.access_expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
      const [listed] = (await short.rpc.listSessions(user)).sessions;
      expect(listed!.idle_expires_at - listed!.last_used_at).toBe(1);

      await sleep(1200);
      shortClient = authClientFor(short);
      // the first refusal ends the session; a retry of the same token says the same, not "reuse"
      for (let i = 0; i < 2; i++) {
        expect(await refusal(shortClient, pair.refresh_token)).toEqual({
          kind: 'unauthenticated',
          reason: 'idle_timeout',
          userId: user,
          sessionId: pair.session_id,
        });
      }
      expect(await sessionRow(pair.session_id)).toMatchObject({ revoked_reason: 'session_idle' });
      expect((await short.rpc.listSessions(user)).sessions).toEqual([]);
    });

    it('keeps a used session past the idle timeout, never past its absolute end', async () => {
      short = await startReplica(testConfig(db.url, { sessionIdleMs: 1500, sessionTtlMs: 2500 }));
      const started = Date.now();
      const pair = await issueFor(short.rpc, newUserId());
      const end = Math.floor((started + 2500) / 1000) + 1;
      expect(pair.refresh_expires_at).toBeLessThanOrEqual(end);

      await sleep(1000);
      const second = await short.rpc.refresh({ refresh_token: pair.refresh_token });
      await sleep(1000);
      // 2 s in: past the first idle window, alive thanks to the refresh
      const third = await short.rpc.refresh({ refresh_token: second.refresh_token });
      expect(third.access_expires_at).toBeLessThanOrEqual(end);
      expect(third.refresh_expires_at).toBeLessThanOrEqual(end);

      await sleep(Math.max(0, started + 2600 - Date.now()));
      shortClient = authClientFor(short);
      expect(await refusal(shortClient, third.refresh_token)).toMatchObject({
        kind: 'unauthenticated',
        reason: 'expired',
        sessionId: pair.session_id,
      });
      expect(await sessionRow(pair.session_id)).toMatchObject({ revoked_reason: 'session_expired' });
    });
  });
});
