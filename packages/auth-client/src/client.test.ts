import * as grpc from '@grpc/grpc-js';
import { authServiceDefinition, type AuthServiceHandlers } from '@usher/contracts';
import { AuthClientError, createAuthClient, type AuthClient } from './index';

// The client's encoding and decoding against a real gRPC server that records requests and answers
// with canned messages: API keys, token pairs, revoke options and the refusal metadata.
const USER = '7f1c6f0e-0000-4000-8000-000000000001';
const SESSION = '7f1c6f0e-0000-4000-8000-0000000000aa';
const KEY_ID = '7f1c6f0e-0000-4000-8000-0000000000bb';

const apiKey = {
  id: KEY_ID,
  user_id: USER,
  name: 'ci',
  role: 'ROLE_EDITOR',
  created_at: 1_800_000_000,
  expires_at: 1_807_776_000,
  last_used_at: 0,
};

type Handler = (request: Record<string, unknown>) => { reply?: object; error?: Partial<grpc.StatusObject> };

async function startFake(handlers: Record<string, Handler>) {
  const requests: { method: string; request: Record<string, unknown>; metadata: grpc.Metadata }[] = [];
  const server = new grpc.Server();
  const impl: Record<string, grpc.handleUnaryCall<Record<string, unknown>, object>> = {};
  for (const [method, handle] of Object.entries(handlers)) {
    impl[method] = (call, cb) => {
      requests.push({ method, request: call.request, metadata: call.metadata });
      const { reply, error } = handle(call.request);
      if (error) cb(error as grpc.ServiceError);
      else cb(null, reply ?? {});
    };
  }
  server.addService(
    authServiceDefinition(),
    impl as Partial<AuthServiceHandlers> as grpc.UntypedServiceImplementation,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { port, requests, stop: () => server.forceShutdown() };
}

const refusedWith = (metadata: Record<string, string>): Partial<grpc.StatusObject> => {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return { code: grpc.status.UNAUTHENTICATED, details: 'invalid refresh token', metadata: md };
};

describe('auth client calls', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  let client: AuthClient;

  beforeAll(async () => {
    fake = await startFake({
      Issue: () => ({
        reply: {
          access_token: 'a',
          refresh_token: 'r',
          access_type: 'Bearer',
          session_id: SESSION,
          user_id: USER,
        },
      }),
      Refresh: (req) => {
        if (req.refresh_token === 'spent')
          return {
            error: refusedWith({
              'usher-reason': 'refresh_token_reuse',
              'usher-user-id': USER,
              'usher-session-id': SESSION,
            }),
          };
        return { error: refusedWith({ 'usher-reason': 'invalid' }) };
      },
      Authenticate: () => ({
        reply: { user_id: USER, role: 'ROLE_EDITOR', kind: 'api_key', api_key_id: KEY_ID, token_id: KEY_ID },
      }),
      CreateApiKey: (req) =>
        req.name === 'full'
          ? { error: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'at most 100 live API keys' } }
          : { reply: { api_key: apiKey, key: 'usher_pat_secret' } },
      ListApiKeys: () => ({ reply: { api_keys: [{ ...apiKey, last_used_at: 1_800_000_100 }] } }),
      RevokeApiKey: (req) =>
        req.user_id === USER
          ? { reply: { revoked: 1 } }
          : { error: { code: grpc.status.NOT_FOUND, details: 'api key not found' } },
      RevokeUserSessions: () => ({ reply: { revoked: 3 } }),
    });
    client = createAuthClient({ url: `127.0.0.1:${fake.port}`, timeoutMs: 2000 });
  });
  afterAll(() => {
    client.close();
    fake.stop();
  });

  const lastRequest = (method: string) => fake.requests.filter((r) => r.method === method).at(-1)?.request;

  it('returns the user id with a token pair', async () => {
    await expect(client.issue({ userId: USER, role: 'viewer', verified: true })).resolves.toMatchObject({
      userId: USER,
      sessionId: SESSION,
    });
  });

  it('reads why a refresh was refused from the trailing metadata', async () => {
    const reuse = await client.refresh('spent').catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(AuthClientError);
    expect(reuse).toMatchObject({
      kind: 'unauthenticated',
      reason: 'refresh_token_reuse',
      userId: USER,
      sessionId: SESSION,
      message: 'invalid refresh token',
    });
    const invalid = (await client.refresh('junk').catch((e: unknown) => e)) as AuthClientError;
    expect(invalid.reason).toBe('invalid');
    expect(invalid.userId).toBeUndefined();
    expect(invalid.sessionId).toBeUndefined();
  });

  it('maps an API key principal', async () => {
    await expect(client.authenticate('usher_pat_x')).resolves.toMatchObject({
      kind: 'api_key',
      apiKeyId: KEY_ID,
      sessionId: '',
      role: 'editor',
    });
  });

  it('creates, lists and revokes API keys', async () => {
    const created = await client.createApiKey({
      userId: USER,
      role: 'editor',
      name: 'ci',
      expiresInSeconds: 3600,
    });
    expect(created).toEqual({
      id: KEY_ID,
      userId: USER,
      name: 'ci',
      role: 'editor',
      key: 'usher_pat_secret',
      createdAt: 1_800_000_000,
      expiresAt: 1_807_776_000,
      lastUsedAt: 0,
    });
    expect(lastRequest('CreateApiKey')).toMatchObject({
      user_id: USER,
      role: 'ROLE_EDITOR',
      name: 'ci',
      expires_in_seconds: 3600,
      verified: false,
    });
    const listed = await client.listApiKeys(USER);
    const { key: _secret, ...withoutSecret } = created;
    expect(listed).toEqual([{ ...withoutSecret, lastUsedAt: 1_800_000_100 }]);
    expect(listed[0]).not.toHaveProperty('key');

    await expect(client.revokeApiKey(KEY_ID, USER)).resolves.toBeUndefined();
    expect(lastRequest('RevokeApiKey')).toMatchObject({ id: KEY_ID, user_id: USER });
    await expect(client.revokeApiKey(KEY_ID, SESSION)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('classifies the key limit as limit_exceeded', async () => {
    await expect(client.createApiKey({ userId: USER, role: 'viewer', name: 'full' })).rejects.toMatchObject({
      kind: 'limit_exceeded',
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
  });

  it('passes include_api_keys on revoke-all', async () => {
    expect(await client.revokeUserSessions(USER, { includeApiKeys: true, reason: 'disabled' })).toBe(3);
    expect(lastRequest('RevokeUserSessions')).toMatchObject({
      user_id: USER,
      except_session_id: '',
      reason: 'disabled',
      include_api_keys: true,
    });
    await client.revokeUserSessions(USER);
    expect(lastRequest('RevokeUserSessions')).toMatchObject({ include_api_keys: false });
  });
});

describe('auth client as a named caller (issue 15)', () => {
  it('sends its client id and secret as metadata on every call, and maps a caller refusal to unavailable', async () => {
    const refusal = new grpc.Metadata();
    refusal.set('usher-reason', 'caller_forbidden');
    const fake = await startFake({
      GetJwks: () => ({ reply: { keys: [] } }),
      RotateSigningKey: () => ({
        error: {
          code: grpc.status.PERMISSION_DENIED,
          details: 'caller users may not call RotateSigningKey',
          metadata: refusal,
        },
      }),
      Authenticate: () => ({ error: { code: grpc.status.UNAUTHENTICATED, details: 'invalid token' } }),
    });
    const client = createAuthClient({
      url: `127.0.0.1:${fake.port}`,
      timeoutMs: 2000,
      caller: { id: 'users', secret: 's3cret-value' },
    });
    try {
      await client.getJwks();
      const md = fake.requests.at(-1)!.metadata;
      expect(md.get('usher-client-id')).toEqual(['users']);
      expect(md.get('usher-client-secret')).toEqual(['s3cret-value']);

      const refused = await client.rotateSigningKey().then(
        () => undefined,
        (e: unknown) => e as AuthClientError,
      );
      expect(refused).toBeInstanceOf(AuthClientError);
      expect(refused).toMatchObject({
        kind: 'unavailable',
        callerRefused: true,
        code: grpc.status.PERMISSION_DENIED,
      });
      expect(refused!.message).toMatch(/refused this service as a caller/);
      expect(refused!.message).not.toContain('s3cret-value');

      // a refused token stays a 401 matter
      const bad = await client.authenticate('x').catch((e: unknown) => e as AuthClientError);
      expect(bad).toMatchObject({ kind: 'unauthenticated', callerRefused: false });
    } finally {
      client.close();
      fake.stop();
    }
  });
});
