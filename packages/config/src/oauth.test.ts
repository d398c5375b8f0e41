import { loadUsersConfig } from './users';
import { loadOAuthProviders } from './oauth';

describe('USHER_OAUTH_* providers', () => {
  it('are off when nothing is set', () => {
    expect(loadOAuthProviders({})).toEqual([]);
    expect(loadUsersConfig({}).oauth).toMatchObject({
      providers: [],
      uiRedirectUrl: 'http://localhost:9095/domains',
      uiErrorUrl: 'http://localhost:9095/error',
      callbackUrlPrefix: 'http://localhost:9002/oauth/callback',
      timeoutMs: 10_000,
    });
  });

  it('reads the Google and GitHub presets and generic OpenID Connect blocks', () => {
    const providers = loadOAuthProviders({
      USHER_OAUTH_GOOGLE_CLIENT_ID: 'g-id',
      USHER_OAUTH_GOOGLE_CLIENT_SECRET: 'g-secret',
      USHER_OAUTH_GITHUB_CLIENT_ID: 'gh-id',
      USHER_OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret',
      USHER_OAUTH_KEYCLOAK_ISSUER: 'https://sso.example.com/realms/main',
      USHER_OAUTH_KEYCLOAK_CLIENT_ID: 'kc',
      USHER_OAUTH_KEYCLOAK_SCOPES: 'email,profile',
      USHER_OAUTH_UI_REDIRECT_URL: 'http://ui/',
    });
    expect(providers).toEqual([
      {
        name: 'github',
        kind: 'github',
        issuer: 'https://github.com',
        clientId: 'gh-id',
        clientSecret: 'gh-secret',
        scopes: ['read:user', 'user:email'],
      },
      {
        name: 'google',
        kind: 'oidc',
        issuer: 'https://accounts.google.com',
        clientId: 'g-id',
        clientSecret: 'g-secret',
        scopes: ['openid', 'email', 'profile'],
      },
      {
        name: 'keycloak',
        kind: 'oidc',
        issuer: 'https://sso.example.com/realms/main',
        clientId: 'kc',
        clientSecret: '',
        scopes: ['openid', 'email', 'profile'],
      },
    ]);
  });

  it('leaves a provider without a client id off, and refuses a generic one without an issuer', () => {
    expect(loadOAuthProviders({ USHER_OAUTH_GOOGLE_CLIENT_SECRET: 's' })).toEqual([]);
    expect(() => loadOAuthProviders({ USHER_OAUTH_ACME_CLIENT_ID: 'x' })).toThrow(/USHER_OAUTH_ACME_ISSUER/);
    expect(() =>
      loadOAuthProviders({ USHER_OAUTH_ACME_ISSUER: 'ftp://x', USHER_OAUTH_ACME_CLIENT_ID: 'x' }),
    ).toThrow(/http\(s\) URL/);
  });
});
