import type * as OC from 'openid-client';
import type { OAuthProviderConfig } from '@usher/config';
import { OAuthError, type ExternalProfile } from '../domain/oauth';

// openid-client (v6) is ESM-only. The service is CommonJS, and Node >= 20.19 (the project's
// engines floor and the Docker image) loads ES modules through require(); jest's module sandbox
// cannot, so the library is loaded on first use only, when a provider is configured (the OAuth
// tests run the built service as its own process: test/oauth.test.ts).
let lib: typeof OC | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- require(esm): see above
const openid = (): typeof OC => (lib ??= require('openid-client') as typeof OC);

/** What a started flow keeps until its callback. */
export interface FlowChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** One configured provider, behind the certified relying-party library. */
export interface ProviderClient {
  readonly name: string;
  readonly kind: 'oidc' | 'github';
  /** Fresh state, nonce and PKCE verifier, and the provider URL to send the browser to. */
  start(): Promise<{ url: URL; checks: FlowChecks }>;
  /** Checks the callback and the tokens, exchanges the code once and says who signed in. */
  finish(callbackUrl: URL, checks: FlowChecks): Promise<ExternalProfile>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** github.com, or a GitHub Enterprise Server when USHER_OAUTH_GITHUB_ISSUER names one. */
function github(issuer: string) {
  const base = issuer.replace(/\/+$/, '');
  return {
    server: {
      issuer: base,
      authorization_endpoint: `${base}/login/oauth/authorize`,
      token_endpoint: `${base}/login/oauth/access_token`,
    },
    api: base === 'https://github.com' ? 'https://api.github.com' : `${base}/api/v3`,
  };
}

/** Sorts a library or network failure into the short codes the UI error URL carries. */
export function classify(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  const e = err as { name?: string; code?: string; error?: string; message?: string; cause?: unknown };
  const cause = e.cause as { name?: string; code?: string } | undefined;
  const msg = String(e.message ?? err);
  if (
    e.code === 'OAUTH_TIMEOUT' ||
    e.code === 'OAUTH_ABORT' ||
    e.name === 'TimeoutError' ||
    cause?.name === 'TimeoutError' ||
    (err instanceof TypeError && /fetch failed/i.test(msg)) ||
    /ECONNREFUSED|ENOTFOUND|ECONNRESET|socket/i.test(String(cause?.code ?? ''))
  ) {
    return new OAuthError('provider_unavailable', `provider unreachable: ${msg}`);
  }
  if (e.name === 'AuthorizationResponseError') {
    return new OAuthError(e.error === 'access_denied' ? 'access_denied' : 'provider_error', msg);
  }
  if (e.name === 'ResponseBodyError') {
    return new OAuthError('code_rejected', `token endpoint refused the code: ${e.error ?? msg}`);
  }
  if (/state/i.test(msg) && e.code === 'OAUTH_INVALID_RESPONSE') {
    return new OAuthError('invalid_state', msg);
  }
  return new OAuthError('invalid_token', `provider answer refused: ${e.code ?? ''} ${msg}`);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new OAuthError('provider_unavailable', `no answer from the provider in ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

export function providerClient(
  cfg: OAuthProviderConfig,
  redirectUri: string,
  timeoutMs: number,
): ProviderClient {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  let configuration: Promise<OC.Configuration> | undefined;
  const insecure = LOOPBACK.has(new URL(cfg.issuer).hostname);

  const config = (): Promise<OC.Configuration> => {
    const client = openid();
    configuration ??= (async () => {
      let c: OC.Configuration;
      if (cfg.kind === 'github') {
        c = new client.Configuration(github(cfg.issuer).server, cfg.clientId, cfg.clientSecret);
        if (insecure) client.allowInsecureRequests(c);
      } else {
        // Discovery: the issuer's metadata and JWKS; only loopback issuers may be plain http (tests, local dev).
        c = await client.discovery(
          new URL(cfg.issuer),
          cfg.clientId,
          undefined,
          cfg.clientSecret ? client.ClientSecretBasic(cfg.clientSecret) : client.None(),
          {
            timeout: seconds,
            // The ID token's signature is checked against the provider's JWKS even though it came
            // straight from the token endpoint (the library skips that by default).
            execute: insecure
              ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
              : [client.enableNonRepudiationChecks],
          },
        );
      }
      c.timeout = seconds;
      return c;
    })();
    // A failed discovery is tried again on the next sign-in, not cached.
    configuration.catch(() => (configuration = undefined));
    return withTimeout(configuration, timeoutMs);
  };

  return {
    name: cfg.name,
    kind: cfg.kind,
    async start() {
      try {
        const client = openid();
        const c = await config();
        const checks: FlowChecks = {
          state: client.randomState(),
          nonce: client.randomNonce(),
          codeVerifier: client.randomPKCECodeVerifier(),
        };
        const params: Record<string, string> = {
          redirect_uri: redirectUri,
          scope: cfg.scopes.join(' '),
          state: checks.state,
          code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
          code_challenge_method: 'S256',
        };
        if (cfg.kind === 'oidc') params.nonce = checks.nonce;
        return { url: client.buildAuthorizationUrl(c, params), checks };
      } catch (err) {
        throw classify(err);
      }
    },
    async finish(callbackUrl, checks) {
      try {
        const client = openid();
        const c = await config();
        const tokens = await withTimeout(
          client.authorizationCodeGrant(c, callbackUrl, {
            pkceCodeVerifier: checks.codeVerifier,
            expectedState: checks.state,
            ...(cfg.kind === 'oidc' ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
          }),
          timeoutMs,
        );
        if (cfg.kind === 'github') {
          return await githubProfile(client, c, github(cfg.issuer).api, tokens.access_token, timeoutMs);
        }
        // The ID token's signature, issuer, audience, expiry and nonce were checked by the grant.
        const claims = tokens.claims();
        if (!claims) throw new OAuthError('invalid_token', 'no ID token');
        let info: Record<string, unknown> = claims;
        if (typeof claims.email !== 'string') {
          info = {
            ...(await withTimeout(client.fetchUserInfo(c, tokens.access_token, claims.sub), timeoutMs)),
            ...claims,
          };
        }
        return {
          provider: cfg.name,
          subject: claims.sub,
          email: typeof info.email === 'string' ? info.email.trim().toLowerCase() : '',
          emailVerified: info.email_verified === true,
          firstName: str(info.given_name) || str(info.name),
          lastName: str(info.family_name),
          picture: str(info.picture),
          username: str(info.preferred_username) || str(info.nickname),
        };
      } catch (err) {
        throw classify(err);
      }
    },
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : '');

/** GitHub has no ID token: the user and their verified primary email come from its API. */
async function githubProfile(
  client: typeof OC,
  c: OC.Configuration,
  api: string,
  accessToken: string,
  timeoutMs: number,
): Promise<ExternalProfile> {
  const get = async (path: string) => {
    const res = await withTimeout(
      client.fetchProtectedResource(
        c,
        accessToken,
        new URL(api + path),
        'GET',
        undefined,
        new Headers({ accept: 'application/vnd.github+json' }),
      ),
      timeoutMs,
    );
    if (!res.ok) throw new OAuthError('provider_error', `GitHub API ${path} answered ${res.status}`);
    return (await res.json()) as unknown;
  };
  const user = (await get('/user')) as { id?: number; login?: string; name?: string; avatar_url?: string };
  if (typeof user.id !== 'number') throw new OAuthError('provider_error', 'GitHub gave no user id');
  const emails = (await get('/user/emails')) as { email: string; primary: boolean; verified: boolean }[];
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
  const [first, ...rest] = (user.name ?? '').split(' ');
  return {
    provider: 'github',
    subject: String(user.id),
    email: primary?.email.trim().toLowerCase() ?? '',
    emailVerified: primary?.verified === true,
    firstName: first || user.login || '',
    lastName: rest.join(' '),
    picture: str(user.avatar_url),
    username: user.login ?? '',
  };
}
