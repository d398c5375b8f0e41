import http from 'http';
import type { AddressInfo } from 'net';
import { createSign, generateKeyPairSync, type KeyObject } from 'crypto';

/**
 * A tiny OpenID provider the test controls, for the answers a certified provider never gives:
 * an ID token with the wrong nonce, an expired one, or one signed by a key not in its JWKS.
 */
export type FakeMode = 'ok' | 'wrong_nonce' | 'expired' | 'other_key';

export interface FakeProvider {
  issuer: string;
  /** What the next token answer holds. */
  mode: FakeMode;
  /** The nonce of the last authorization request (read from the URL Usher redirected to). */
  nonce: string;
  tokenRequests: number;
  stop(): Promise<void>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function sign(payload: object, key: KeyObject): string {
  const input = `${b64({ alg: 'RS256', kid: 'fake-key', typ: 'JWT' })}.${b64(payload)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${sig}`;
}

export async function startFakeProvider(clientId: string): Promise<FakeProvider> {
  const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const state: FakeProvider = {
    issuer: '',
    mode: 'ok',
    nonce: '',
    tokenRequests: 0,
    stop: async () => undefined,
  };
  const json = (res: http.ServerResponse, body: unknown) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/.well-known/openid-configuration') {
      return json(res, {
        issuer: state.issuer,
        authorization_endpoint: `${state.issuer}/authorize`,
        token_endpoint: `${state.issuer}/token`,
        jwks_uri: `${state.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === '/jwks') {
      const jwk = good.publicKey.export({ format: 'jwk' });
      return json(res, { keys: [{ ...jwk, kid: 'fake-key', use: 'sig', alg: 'RS256' }] });
    }
    if (path === '/token' && req.method === 'POST') {
      state.tokenRequests++;
      req.resume();
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: state.issuer,
        aud: clientId,
        sub: 'fake-subject',
        email: 'fake-person@example.com',
        email_verified: true,
        iat: state.mode === 'expired' ? now - 7200 : now,
        exp: state.mode === 'expired' ? now - 3600 : now + 300,
        nonce: state.mode === 'wrong_nonce' ? 'not-the-nonce' : state.nonce,
      };
      const idToken = sign(claims, state.mode === 'other_key' ? other.privateKey : good.privateKey);
      return json(res, {
        access_token: 'fake-access',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A provider that accepts connections and never answers: Usher must give up, not hang. */
export async function startSilentServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<import('net').Socket>();
  const server = (await import('net')).createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface FakeGitHub {
  url: string;
  /** Who the next sign-in is, as GitHub's API tells it. */
  user: { id: number; login: string; name: string };
  emails: { email: string; primary: boolean; verified: boolean }[];
  stop(): Promise<void>;
}

/**
 * GitHub's OAuth 2.0 endpoints and the two API calls Usher makes, served the way a GitHub
 * Enterprise Server lays them out (`/login/oauth/*`, `/api/v3/*`): no ID token, a lower-case
 * `bearer` token type, the primary email's verification from /user/emails.
 */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const state: FakeGitHub = {
    url: '',
    user: { id: 1, login: 'octo', name: 'Octo Cat' },
    emails: [],
    stop: async () => undefined,
  };
  const issued = new Set<string>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (body: unknown, status = 200) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (path === '/login/oauth/access_token' && req.method === 'POST') {
      req.resume();
      const token = `gho_${Math.random().toString(36).slice(2)}`;
      issued.add(token);
      return json({ access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const auth = (req.headers.authorization ?? '').replace(/^bearer /i, '');
    if (!issued.has(auth)) return json({ message: 'Bad credentials' }, 401);
    if (path === '/api/v3/user') return json(state.user);
    if (path === '/api/v3/user/emails') return json(state.emails);
    return json({ message: 'Not Found' }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
