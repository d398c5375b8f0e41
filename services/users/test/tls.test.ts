import https from 'https';
import path from 'path';
import { execFile } from 'child_process';
import type { TLSSocket } from 'tls';
import { AuthClientError, createAuthClient, type AuthClientOptions } from '@usher/auth-client';
import {
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { hasOpenssl, makePki, type Pki } from '@usher/testkit';

// The TLS stack end to end, with a CA made at run time: users serves HTTPS and requires client
// certificates (USHER_USERS_HTTP_*), users calls auth over mTLS (USHER_AUTH_GRPC_*), auth runs as its
// own process. Clients without a certificate, or with one from another CA, are refused at both hops.

const openssl = hasOpenssl();
if (!openssl && process.env.USHER_TEST_REQUIRE_SERVICES === '1') {
  throw new Error('the openssl CLI is not installed and USHER_TEST_REQUIRE_SERVICES=1');
}
if (!openssl) console.warn('skipping TLS tests: the openssl CLI is not installed');

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: bodies are checked by assertions
  body: any;
  peer: { authorized: boolean; subject: unknown; issuer: unknown };
}

interface ClientTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function call(base: string, tls: ClientTls, method: string, url: string, body?: unknown, token?: string) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<Reply>((resolve, reject) => {
    const req = https.request(
      new URL(url, base),
      {
        method,
        agent: false,
        ...tls,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const cert = socket.getPeerCertificate();
        const peer = { authorized: socket.authorized, subject: cert.subject.CN, issuer: cert.issuer.CN };
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, peer }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

(openssl ? describe : describe.skip)(
  'TLS: users over HTTPS with client certificates, users -> auth over mTLS',
  () => {
    let pki: Pki;
    let auth: AuthProcess;
    let users: UsersInstance;
    let authUrl: string;
    let trusted: ClientTls;

    beforeAll(async () => {
      pki = makePki();
      pki.ca('usher-ca');
      pki.leaf('auth-server', 'usher-ca', 'server');
      pki.leaf('users-server', 'usher-ca', 'server');
      pki.leaf('users-to-auth', 'usher-ca', 'client');
      pki.leaf('api-client', 'usher-ca', 'client');
      pki.ca('rogue-ca');
      pki.leaf('rogue-client', 'rogue-ca', 'client');

      auth = await startAuthProcess({
        USHER_AUTH_GRPC_SERVER_CERT: pki.file('auth-server.crt'),
        USHER_AUTH_GRPC_SERVER_KEY: pki.file('auth-server.key'),
        USHER_AUTH_GRPC_CLIENT_CA_CERTS: pki.file('usher-ca.crt'),
        // with mTLS the certificate names the caller (its CN here): users issues, nobody else is known
        USHER_AUTH_CLIENTS: 'usher-test-users-to-auth=issuer',
        USHER_AUTH_CLIENT_SECRETS: '',
      });
      // a host name, as in production (auth:8181): it is the name the server certificate is checked against
      authUrl = auth.address.replace('127.0.0.1', 'localhost');
      users = await startUsers(authUrl, {
        USHER_USERS_HTTP_SERVER_CERT: pki.file('users-server.crt'),
        USHER_USERS_HTTP_SERVER_KEY: pki.file('users-server.key'),
        USHER_USERS_HTTP_CLIENT_CA_CERTS: pki.file('usher-ca.crt'),
        USHER_AUTH_GRPC_CLIENT_CERT: pki.file('users-to-auth.crt'),
        USHER_AUTH_GRPC_CLIENT_KEY: pki.file('users-to-auth.key'),
        USHER_AUTH_GRPC_SERVER_CA_CERTS: pki.file('usher-ca.crt'),
        USHER_AUTH_GRPC_TIMEOUT: '3s',
      });
      trusted = {
        ca: pki.read('usher-ca.crt'),
        cert: pki.read('api-client.crt'),
        key: pki.read('api-client.key'),
      };
    }, 60_000);
    afterAll(async () => {
      await users?.stop();
      await auth?.stop();
      pki?.remove();
    });

    it('serves HTTPS to a client with a certificate from the client CA, and a sign-in crosses users -> auth over mTLS', async () => {
      expect(users.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await call(users.url, trusted, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'pass', description: 'users service' });
      expect(health.peer).toEqual({
        authorized: true,
        subject: 'usher-test-users-server',
        issuer: 'usher-ca',
      });

      const created = await call(users.url, trusted, 'POST', '/users', newUserBody('tls'));
      expect(created.status).toBe(201);
      const issued = await call(users.url, trusted, 'POST', '/users/tokens/issue', {
        identity: 'user_tls',
        secret: 'secret-tls-long',
      });
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ access_type: 'Bearer' });
      const profile = await call(
        users.url,
        trusted,
        'GET',
        '/users/profile',
        undefined,
        issued.body.access_token,
      );
      expect(profile.status).toBe(200);
      expect(profile.body.id).toBe(created.body.id);
    });

    it('refuses an HTTPS client without a certificate, or with one from another CA', async () => {
      const ca = pki.read('usher-ca.crt');
      await expect(call(users.url, { ca }, 'GET', '/health')).rejects.toThrow(/alert certificate required/i);
      await expect(
        call(
          users.url,
          { ca, cert: pki.read('rogue-client.crt'), key: pki.read('rogue-client.key') },
          'GET',
          '/health',
        ),
        // the server drops the handshake (TLS 1.3: after the client's Finished, so no alert text is seen)
      ).rejects.toThrow(/unknown ca|socket hang up|ECONNRESET/i);
      // and the server is not trusted by a client that does not know the Usher CA
      await expect(
        call(
          users.url,
          { ca: pki.read('rogue-ca.crt'), cert: trusted.cert, key: trusted.key },
          'GET',
          '/health',
        ),
      ).rejects.toThrow(/self-signed certificate|unable to verify/i);
    });

    it('auth refuses gRPC clients without a certificate, with one from another CA, or in plaintext', async () => {
      const jwks = async (tls: AuthClientOptions['tls']) => {
        const client = createAuthClient({ url: authUrl, timeoutMs: 3000, tls });
        try {
          return await client.getJwks();
        } finally {
          client.close();
        }
      };
      const ca = pki.file('usher-ca.crt');
      // control: the certificate users holds works
      await expect(
        jwks({ ca, cert: pki.file('users-to-auth.crt'), key: pki.file('users-to-auth.key') }),
      ).resolves.toMatchObject({ keys: expect.any(Array) });

      // a certificate missing, from another CA, or unknown to USHER_AUTH_CLIENTS: refused as a caller
      for (const tls of [
        { ca },
        { ca, cert: pki.file('rogue-client.crt'), key: pki.file('rogue-client.key') },
        { ca, cert: pki.file('api-client.crt'), key: pki.file('api-client.key') },
      ]) {
        const error = await jwks(tls).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AuthClientError);
        expect(error).toMatchObject({
          code: 16 /* UNAUTHENTICATED */,
          callerRefused: true,
          kind: 'unavailable',
        });
      }
      // plaintext does not even reach a call
      const plain = await jwks(undefined).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(plain).toMatchObject({ kind: 'unavailable', callerRefused: false });

      // users' side checks the server too: a CA that did not sign auth's certificate is refused
      const wrongServerCa = await jwks({
        ca: pki.file('rogue-ca.crt'),
        cert: pki.file('users-to-auth.crt'),
        key: pki.file('users-to-auth.key'),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((wrongServerCa as AuthClientError).kind).toBe('unavailable');
    });

    it('the image HEALTHCHECK (docker/usher-probe.js) reaches /health over HTTPS with its own client certificate', async () => {
      const health = (extra: Record<string, string>) =>
        new Promise<number | null>((resolve) => {
          const env = {
            PATH: process.env.PATH ?? '',
            USHER_SERVICE: 'users',
            USHER_USERS_HTTP_PORT: String(users.handle.port),
            USHER_USERS_HTTP_SERVER_CERT: pki.file('users-server.crt'),
            USHER_USERS_HTTP_SERVER_KEY: pki.file('users-server.key'),
            ...extra,
          };
          const probe = path.join(__dirname, '../../../docker/usher-probe.js');
          execFile(process.execPath, [probe, 'health'], { env }, (error) =>
            resolve(error ? ((error as { code?: number }).code ?? -1) : 0),
          );
        });
      expect(
        await health({
          USHER_PROBE_CLIENT_CERT: pki.file('api-client.crt'),
          USHER_PROBE_CLIENT_KEY: pki.file('api-client.key'),
        }),
      ).toBe(0);
      expect(await health({})).toBe(1); // no client certificate: refused like any other client
    });

    it('a users instance without a client certificate for auth cannot sign anyone in (503)', async () => {
      const bare = await startUsers(authUrl, {
        USHER_AUTH_GRPC_SERVER_CA_CERTS: pki.file('usher-ca.crt'),
        USHER_AUTH_GRPC_TIMEOUT: '2s',
      });
      try {
        const res = await fetch(`${bare.url}/users/tokens/issue`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ identity: OWNER.username, secret: OWNER.password }),
        });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBeTruthy();
      } finally {
        await bare.stop();
      }
    });
  },
);
