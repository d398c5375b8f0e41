import crypto from 'crypto';
import * as grpc from '@grpc/grpc-js';
import { Client } from 'pg';
import type { AuthClient } from '@usher/auth-client';
import { createTestDatabase, waitFor, type TestDatabase } from '@usher/testkit';
import {
  authClientFor,
  clientErrorOf,
  codeOf,
  createKeyFor,
  issueFor,
  newUserId,
  sleep,
  startReplica,
  testConfig,
  type Replica,
} from './helpers';

const DAY = 86_400;
const KEY = /^usher_pat_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

// API keys over a real gRPC socket and a real PostgreSQL, through the raw client and auth-client.
describe('api keys', () => {
  let db: TestDatabase;
  let auth: Replica;
  let client: AuthClient;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase('authapikeys');
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

  it('create -> authenticate -> list (no secret) -> revoke -> refused', async () => {
    const user = newUserId();
    const before = Math.floor(Date.now() / 1000);
    const created = await client.createApiKey({ userId: user, role: 'editor', name: 'deploy bot' });
    expect(created.key).toMatch(KEY);
    expect(created.key).toContain(created.id.replace(/-/g, ''));
    expect(created).toMatchObject({ userId: user, name: 'deploy bot', role: 'editor', lastUsedAt: 0 });
    expect(created.createdAt).toBeGreaterThanOrEqual(before);
    expect(created.expiresAt - created.createdAt).toBe(90 * DAY); // 0 means the default

    const principal = await client.authenticate(created.key);
    expect(principal).toEqual({
      userId: user,
      role: 'editor',
      sessionId: '',
      verified: false,
      expiresAt: created.expiresAt,
      tokenId: created.id,
      kind: 'api_key',
      apiKeyId: created.id,
    });
    // the first use is recorded (fire and forget)
    await waitFor(async () => (await client.listApiKeys(user))[0]!.lastUsedAt > 0, 5000, 50);

    const listed = await client.listApiKeys(user);
    expect(listed).toEqual([{ ...withoutKey(created), lastUsedAt: expect.any(Number) }]);
    expect(JSON.stringify(await auth.rpc.listApiKeys(user))).not.toContain(created.key.slice(-43));
    // stored hashed only
    const { rows } = await pg.query('SELECT * FROM auth.api_keys WHERE id = $1', [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.key.slice(-43));

    await client.revokeApiKey(created.id, user);
    expect(await codeOf(auth.rpc.authenticate(created.key))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await client.listApiKeys(user)).toEqual([]);
    // revoked once: NOT_FOUND afterwards, and for anyone else's key
    expect((await clientErrorOf(client.revokeApiKey(created.id, user))).kind).toBe('not_found');
    const other = await createKeyFor(auth.rpc, user);
    expect((await clientErrorOf(client.revokeApiKey(other.api_key.id, newUserId()))).kind).toBe('not_found');
    await expect(client.authenticate(other.key)).resolves.toMatchObject({ kind: 'api_key' });
  });

  it('authorizes with the role given at creation, not more', async () => {
    const user = newUserId();
    const { key } = await createKeyFor(auth.rpc, user, 'ROLE_EDITOR', { verified: true });
    await expect(auth.rpc.authorize(key, 'ROLE_VIEWER')).resolves.toMatchObject({
      user_id: user,
      role: 'ROLE_EDITOR',
      kind: 'api_key',
      session_id: '',
      verified: true,
    });
    await expect(client.authorize(key, 'editor')).resolves.toMatchObject({ kind: 'api_key', role: 'editor' });
    expect(await codeOf(auth.rpc.authorize(key, 'ROLE_ADMIN'))).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('refuses an expired key, even one verified before', async () => {
    const { key, api_key } = await createKeyFor(auth.rpc, newUserId(), 'ROLE_VIEWER', {
      expires_in_seconds: 1,
    });
    expect(api_key.expires_at - api_key.created_at).toBeLessThanOrEqual(1);
    await expect(auth.rpc.authenticate(key)).resolves.toBeDefined();
    await sleep(1100);
    expect(await codeOf(auth.rpc.authenticate(key))).toBe(grpc.status.UNAUTHENTICATED);
    expect((await auth.rpc.listApiKeys(api_key.user_id)).api_keys).toEqual([]);
  });

  it('refuses tampered keys, unknown ids and wrong secrets', async () => {
    const { key } = await createKeyFor(auth.rpc, newUserId());
    await expect(auth.rpc.authenticate(key)).resolves.toBeDefined(); // cached from here on
    const id = key.slice(10, 42);
    const secret = key.slice(43);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const otherId = crypto.randomUUID().replace(/-/g, '');
    const refused = [
      `usher_pat_${id}_${flip(secret, 0)}`, // wrong secret, known id
      `usher_pat_${id}_${flip(secret, 42)}`,
      `usher_pat_${otherId}_${secret}`, // unknown id
      `usher_pat_${id[0] === '0' ? '1' : '0'}${id.slice(1)}_${secret}`, // another id, same secret
      `${key}x`, // malformed
      key.slice(0, -1),
      key.replace('usher_pat_', 'usher_pak_'),
      'usher_pat_',
    ];
    for (const token of refused) {
      expect(await codeOf(auth.rpc.authenticate(token))).toBe(grpc.status.UNAUTHENTICATED);
      expect(await codeOf(auth.rpc.authorize(token, 'ROLE_VIEWER'))).toBe(grpc.status.UNAUTHENTICATED);
    }
    await expect(auth.rpc.authenticate(key)).resolves.toBeDefined();
  });

  it('validates name, lifetime and role', async () => {
    const user = newUserId();
    const fieldOf = async (extra: object) => {
      const err = await clientErrorOf(
        client.createApiKey({ userId: user, role: 'viewer', name: 'x', ...extra }),
      );
      return { kind: err.kind, field: err.message.split(':')[0] };
    };
    expect(await fieldOf({ name: '' })).toEqual({ kind: 'invalid', field: 'name' });
    expect(await fieldOf({ name: '   ' })).toEqual({ kind: 'invalid', field: 'name' });
    expect(await fieldOf({ name: 'n'.repeat(101) })).toEqual({ kind: 'invalid', field: 'name' });
    expect(await fieldOf({ name: 'a\nb' })).toEqual({ kind: 'invalid', field: 'name' });
    expect(await fieldOf({ expiresInSeconds: 365 * DAY + 1 })).toEqual({
      kind: 'invalid',
      field: 'expires_in_seconds',
    });
    expect(await fieldOf({ expiresInSeconds: -5 })).toEqual({ kind: 'invalid', field: 'expires_in_seconds' });
    expect(await codeOf(auth.rpc.createApiKey({ user_id: 'nope', name: 'x' }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    const longest = await client.createApiKey({
      userId: user,
      role: 'viewer',
      name: 'é'.repeat(100),
      expiresInSeconds: 365 * DAY,
    });
    expect(longest.expiresAt - longest.createdAt).toBe(365 * DAY);
  });

  it('holds at most 100 live keys per user, even under concurrent creation', async () => {
    const user = newUserId();
    const results = await Promise.allSettled(
      Array.from({ length: 105 }, (_, i) =>
        client.createApiKey({ userId: user, role: 'viewer', name: `k${i}` }),
      ),
    );
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(made).toHaveLength(100);
    expect(refused).toHaveLength(5);
    for (const err of refused) {
      expect(err).toMatchObject({ kind: 'limit_exceeded', code: grpc.status.RESOURCE_EXHAUSTED });
      expect(err.message).toMatch(/at most 100 live API keys/);
    }
    const listed = await client.listApiKeys(user);
    expect(listed).toHaveLength(100);
    // newest first
    const times = listed.map((k) => k.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // a revoked key frees its place
    await client.revokeApiKey(listed[0]!.id, user);
    await expect(client.createApiKey({ userId: user, role: 'viewer', name: 'again' })).resolves.toBeDefined();
  });

  it('RevokeUserSessions kills keys only with include_api_keys', async () => {
    const user = newUserId();
    const session = await issueFor(auth.rpc, user);
    const { key } = await createKeyFor(auth.rpc, user);
    await expect(auth.rpc.authenticate(key)).resolves.toBeDefined();

    // revoke-all without keys: the session dies (tokens_valid_after too), the key survives
    expect(await client.revokeUserSessions(user, { reason: 'password changed' })).toBe(1);
    expect(await codeOf(auth.rpc.authenticate(session.access_token))).toBe(grpc.status.UNAUTHENTICATED);
    await expect(auth.rpc.authenticate(key)).resolves.toMatchObject({ kind: 'api_key' });
    // a key created after the revoke-all is fine too
    const { key: later } = await createKeyFor(auth.rpc, user);
    await expect(auth.rpc.authenticate(later)).resolves.toBeDefined();

    const fresh = await issueFor(auth.rpc, user);
    expect(await client.revokeUserSessions(user, { reason: 'disabled', includeApiKeys: true })).toBe(3);
    for (const token of [fresh.access_token, key, later])
      expect(await codeOf(auth.rpc.authenticate(token))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await client.listApiKeys(user)).toEqual([]);
    expect(await client.listSessions(user)).toEqual([]);
    const { rows } = await pg.query('SELECT revoked_reason FROM auth.api_keys WHERE user_id = $1', [user]);
    expect(rows.map((r) => r.revoked_reason)).toEqual(['disabled', 'disabled']);
  });

  it('never logs a key', () => {
    const text = JSON.stringify(auth.lines);
    expect(text).not.toMatch(/usher_pat_/);
    expect(auth.lines.some((l) => l.operation === 'create_api_key' && typeof l.api_key_id === 'string')).toBe(
      true,
    );
  });
});

function withoutKey<T extends { key?: unknown }>(k: T): Omit<T, 'key'> {
  const { key: _key, ...rest } = k;
  return rest;
}
