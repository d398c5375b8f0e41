import { ConfigError, type Env } from './load';

/** One external identity provider the users service lets people sign in with. */
export interface OAuthProviderConfig {
  /** Lower-case name used in the routes: /oauth/authorize/{name}. */
  name: string;
  /** 'oidc': discovery from `issuer`; 'github': OAuth 2.0 plus the GitHub API (no ID token). */
  kind: 'oidc' | 'github';
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface OAuthConfig {
  providers: OAuthProviderConfig[];
  /** USHER_OAUTH_UI_REDIRECT_URL: where a signed-in browser lands (tokens in HttpOnly cookies). */
  uiRedirectUrl: string;
  /** USHER_OAUTH_UI_ERROR_URL: where a failed sign-in lands, with `?error=<code>` only. */
  uiErrorUrl: string;
  /** USHER_OAUTH_CALLBACK_URL_PREFIX: the public URL of /oauth/callback; the provider name is appended. */
  callbackUrlPrefix: string;
  /** USHER_OAUTH_TIMEOUT: the longest wait for any one request to a provider. */
  timeoutMs: number;
}

const PRESETS = {
  GOOGLE: { kind: 'oidc', issuer: 'https://accounts.google.com', scopes: ['openid', 'email', 'profile'] },
  GITHUB: { kind: 'github', issuer: 'https://github.com', scopes: ['read:user', 'user:email'] },
} as const;

const NAME = /^USHER_OAUTH_([A-Z0-9]+)_(ISSUER|CLIENT_ID)$/;

/**
 * The providers configured in `env`: one block of `USHER_OAUTH_<NAME>_ISSUER`, `_CLIENT_ID`,
 * `_CLIENT_SECRET`, `_SCOPES` per generic OpenID Connect provider, and the Google and GitHub presets
 * (`USHER_OAUTH_GOOGLE_CLIENT_ID` / `_CLIENT_SECRET`, `USHER_OAUTH_GITHUB_CLIENT_ID` / `_CLIENT_SECRET`).
 * A provider without a client id is off.
 */
export function loadOAuthProviders(env: Env): OAuthProviderConfig[] {
  const names = new Set<string>();
  for (const key of Object.keys(env)) {
    const m = NAME.exec(key);
    if (m && m[1] !== 'UI' && env[key]) names.add(m[1]!);
  }
  const providers: OAuthProviderConfig[] = [];
  for (const NAMEU of [...names].sort()) {
    const v = (suffix: string) => (env[`USHER_OAUTH_${NAMEU}_${suffix}`] ?? '').trim();
    const preset = PRESETS[NAMEU as keyof typeof PRESETS];
    const clientId = v('CLIENT_ID');
    if (!clientId) continue;
    const issuer = v('ISSUER') || preset?.issuer || '';
    if (!issuer) {
      throw new ConfigError([
        { variable: `USHER_OAUTH_${NAMEU}_ISSUER`, reason: 'required for a generic OpenID Connect provider' },
      ]);
    }
    try {
      const u = new URL(issuer);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      throw new ConfigError([{ variable: `USHER_OAUTH_${NAMEU}_ISSUER`, reason: 'expected an http(s) URL' }]);
    }
    const scopes = v('SCOPES')
      ? v('SCOPES')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [...(preset?.scopes ?? ['openid', 'email', 'profile'])];
    const kind = preset?.kind ?? 'oidc';
    if (kind === 'oidc' && !scopes.includes('openid')) scopes.unshift('openid');
    providers.push({
      name: NAMEU.toLowerCase(),
      kind,
      issuer,
      clientId,
      clientSecret: v('CLIENT_SECRET'),
      scopes,
    });
  }
  return providers;
}

export function loadOAuthConfig(
  env: Env,
  e: {
    USHER_OAUTH_UI_REDIRECT_URL: string;
    USHER_OAUTH_UI_ERROR_URL: string;
    USHER_OAUTH_CALLBACK_URL_PREFIX: string;
    USHER_OAUTH_TIMEOUT: number;
  },
): OAuthConfig {
  return {
    providers: loadOAuthProviders(env),
    uiRedirectUrl: e.USHER_OAUTH_UI_REDIRECT_URL,
    uiErrorUrl: e.USHER_OAUTH_UI_ERROR_URL,
    callbackUrlPrefix: e.USHER_OAUTH_CALLBACK_URL_PREFIX.replace(/\/+$/, ''),
    timeoutMs: e.USHER_OAUTH_TIMEOUT,
  };
}
