import http from 'http';
import express from 'express';
import * as grpc from '@grpc/grpc-js';
import { authServiceDefinition, type AuthServiceHandlers } from '@usher/contracts';
import { freePort } from '@usher/testkit';
import { createAuthClient, requireAuth, type AuthClient } from './index';

// A real gRPC server on a real socket whose answers each test scripts: this tests the client and the
// middleware, not the auth service (services/auth has its own tests).
type Script = (token: string, minRole?: string) => { principal?: object; code?: grpc.status; hang?: boolean };

async function startFakeAuth(script: Script) {
  const server = new grpc.Server();
  const reply = (token: string, minRole: string | undefined, cb: grpc.sendUnaryData<object>) => {
    const r = script(token, minRole);
    if (r.hang) return; // never answers: the client's deadline must fire
    if (r.code !== undefined)
      cb({ code: r.code, details: `scripted ${grpc.status[r.code]}` } as grpc.ServiceError);
    else cb(null, r.principal ?? {});
  };
  const handlers: Partial<AuthServiceHandlers> = {
    Authenticate: (call, cb) => reply(call.request.token, undefined, cb),
    Authorize: (call, cb) => reply(call.request.token, call.request.min_role, cb),
  };
  server.addService(authServiceDefinition(), handlers as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { port, stop: () => server.forceShutdown() };
}

async function startApp(client: AuthClient, minRole?: 'admin') {
  const app = express();
  app.get('/me', requireAuth(client, { minRole }), (req, res) => {
    res.json(req.principal);
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

const principal = {
  user_id: '7f1c6f0e-0000-4000-8000-000000000001',
  role: 'ROLE_ADMIN',
  session_id: 's1',
  verified: true,
  expires_at: 1_900_000_000,
  token_id: 'j1',
};

describe('auth client and requireAuth middleware', () => {
  let fake: Awaited<ReturnType<typeof startFakeAuth>>;
  let client: AuthClient;
  let app: Awaited<ReturnType<typeof startApp>>;
  let admin: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    fake = await startFakeAuth((token, minRole) => {
      if (token === 'good')
        return minRole === 'ROLE_OWNER' ? { code: grpc.status.PERMISSION_DENIED } : { principal };
      if (token === 'viewer') return minRole ? { code: grpc.status.PERMISSION_DENIED } : { principal };
      if (token === 'slow') return { hang: true };
      return { code: grpc.status.UNAUTHENTICATED };
    });
    client = createAuthClient({ url: `127.0.0.1:${fake.port}`, timeoutMs: 300 });
    app = await startApp(client);
    admin = await startApp(client, 'admin');
  });
  afterAll(() => {
    app.close();
    admin.close();
    client.close();
    fake.stop();
  });

  const get = (base: string, token?: string) =>
    fetch(`${base}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('puts the principal on the request for a valid token', async () => {
    const res = await get(app.url, 'good');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      userId: principal.user_id,
      role: 'admin',
      sessionId: 's1',
      verified: true,
      expiresAt: 1_900_000_000,
      tokenId: 'j1',
      kind: 'access',
      apiKeyId: '',
    });
  });

  it('answers 401 without a token, with a malformed header and with a refused token', async () => {
    for (const res of [
      await get(app.url),
      await fetch(`${app.url}/me`, { headers: { authorization: 'Basic abc' } }),
      await get(app.url, 'tampered'),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthenticated' });
    }
  });

  it('answers 403 below the minimum role', async () => {
    const res = await get(admin.url, 'viewer');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', message: 'not allowed' });
    expect((await get(admin.url, 'good')).status).toBe(200);
  });

  it('answers 503 when the auth service does not answer before the deadline', async () => {
    const started = Date.now();
    const res = await get(app.url, 'slow');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'auth_unavailable' });
    expect(Date.now() - started).toBeLessThan(5000); // bounded by the 300 ms deadline, not a hang
  });

  it('answers 503 when the auth service is unreachable', async () => {
    const dead = createAuthClient({ url: `127.0.0.1:${await freePort()}`, timeoutMs: 300 });
    const down = await startApp(dead);
    try {
      const res = await get(down.url, 'good');
      expect(res.status).toBe(503);
      await expect(dead.authenticate('good')).rejects.toMatchObject({ kind: 'unavailable' });
    } finally {
      down.close();
      dead.close();
    }
  });
});
