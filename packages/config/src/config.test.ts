import {
  ConfigError,
  formatDuration,
  generateClientSecret,
  hashClientSecret,
  loadAuthConfig,
  loadUsersConfig,
  parseDuration,
} from './index';

describe('durations', () => {
  it('parses the seed forms to milliseconds', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('720h')).toBe(2_592_000_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('0')).toBe(0);
  });
  it('rejects text that is not a duration', () => {
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('1d')).toBeUndefined();
    expect(parseDuration('fast')).toBeUndefined();
  });
  it('formats milliseconds back', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(1500)).toBe('1s500ms');
  });
});

describe('users config', () => {
  it('has the seed defaults', () => {
    const c = loadUsersConfig({});
    expect(c.http.port).toBe(9002);
    expect(c.authGrpc.url).toBe('localhost:8181');
    expect(c.authGrpc.timeoutMs).toBe(1000);
    expect(c.passRegex.source).toBe('^.{8,}$');
    expect(c.admin).toEqual({ email: 'admin@example.com', username: 'admin', password: undefined });
    expect(c.allowSelfRegister).toBe(true);
    expect(c.deleteIntervalMs).toBe(24 * 3_600_000);
    expect(c.deleteAfterMs).toBe(720 * 3_600_000);
    expect(c.natsUrl).toBe('nats://localhost:4222');
    expect(c.db).toMatchObject({ host: 'localhost', port: 5432, database: 'users', sslMode: 'disable' });
    expect(c.bcryptCost).toBe(12);
    expect(c.lockout).toEqual({ threshold: 5, windowMs: 900_000, durationMs: 900_000 });
    expect(c.requireAuthentication).toBe(true);
  });
  it('configures the email flows: links, lifetimes, templates, and whether a mail server was set', () => {
    const c = loadUsersConfig({});
    expect(c.email).toMatchObject({ host: 'localhost', port: 25, configured: false, devDir: '.usher/mail' });
    expect(c.email.retry).toEqual({ baseMs: 1000, maxMs: 300_000 });
    expect(c.email.templates).toEqual({
      passwordReset: 'reset-password-email.tmpl',
      verification: 'verification-email.tmpl',
      invitation: 'invitation-email.tmpl',
    });
    expect(c.links.passwordReset.ttlMs).toBe(300_000);
    expect(c.links.invitation.ttlMs).toBe(72 * 3_600_000);
    expect(c.links.verification.urlPrefix).toBe('http://localhost:9002/verify-email');
    expect(loadUsersConfig({ USHER_EMAIL_HOST: 'smtp.example.com' }).email.configured).toBe(true);
    expect(() => loadUsersConfig({ USHER_RECOVERY_TOKEN_DURATION: '0' })).toThrow(
      /USHER_RECOVERY_TOKEN_DURATION/,
    );
    expect(() => loadUsersConfig({ USHER_INVITATION_URL_PREFIX: 'javascript:alert(1)' })).toThrow(
      /USHER_INVITATION_URL_PREFIX/,
    );
  });
  it('reads overrides, treating empty strings as unset', () => {
    const c = loadUsersConfig({
      USHER_USERS_HTTP_PORT: '8080',
      USHER_USERS_ALLOW_SELF_REGISTER: 'false',
      USHER_AUTH_GRPC_TIMEOUT: '250ms',
      USHER_USERS_ADMIN_PASSWORD: '',
      USHER_DB_URL: 'postgres://u:p@db:5432/usher',
    });
    expect(c.http.port).toBe(8080);
    expect(c.allowSelfRegister).toBe(false);
    expect(c.authGrpc.timeoutMs).toBe(250);
    expect(c.admin.password).toBeUndefined();
    expect(c.db.url).toBe('postgres://u:p@db:5432/usher');
  });
  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadUsersConfig({
        USHER_USERS_HTTP_PORT: 'abc',
        USHER_AUTH_GRPC_TIMEOUT: 'soon',
        USHER_USERS_PASS_REGEX: '(',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('USHER_USERS_HTTP_PORT');
    expect(message).toContain('USHER_AUTH_GRPC_TIMEOUT');
    expect(message).toContain('expected a duration');
    expect(message).toContain('USHER_USERS_PASS_REGEX');
  });
  it('reads the require-authentication switch as 0/1', () => {
    expect(loadUsersConfig({ USHER_REQUIRE_AUTHENTICATION: '0' }).requireAuthentication).toBe(false);
    expect(loadUsersConfig({ NODE_ENV: 'production' }).production).toBe(true);
  });
  it('rejects a non-boolean flag and an out-of-range port', () => {
    expect(() => loadUsersConfig({ USHER_USERS_ALLOW_SELF_REGISTER: 'maybe' })).toThrow(
      /USHER_USERS_ALLOW_SELF_REGISTER: expected true or false/,
    );
    expect(() => loadUsersConfig({ USHER_USERS_HTTP_PORT: '70000' })).toThrow(/USHER_USERS_HTTP_PORT/);
  });
});

describe('auth config', () => {
  it('has the documented defaults', () => {
    const c = loadAuthConfig({});
    expect(c.grpc.port).toBe(8181);
    expect(c.accessTtlMs).toBe(15 * 60_000);
    expect(c.refreshTtlMs).toBe(24 * 3_600_000);
    expect(c.recoveryTtlMs).toBe(5 * 60_000);
    expect(c.sessionTtlMs).toBe(30 * 24 * 3_600_000);
    expect(c.sessionIdleMs).toBe(24 * 3_600_000);
    expect(c.natsUrl).toBe('nats://localhost:4222');
    expect(c.db.database).toBe('auth');
  });
  it('serves /health and /metrics on USHER_AUTH_METRICS_PORT, still reading USHER_AUTH_HTTP_PORT', () => {
    expect(loadAuthConfig({}).http.port).toBe(8189);
    expect(loadAuthConfig({ USHER_AUTH_METRICS_PORT: '9100' }).http.port).toBe(9100);
    expect(loadAuthConfig({ USHER_AUTH_HTTP_PORT: '9101' }).http.port).toBe(9101);
    expect(loadAuthConfig({ USHER_AUTH_METRICS_PORT: '9100', USHER_AUTH_HTTP_PORT: '9101' }).http.port).toBe(
      9100,
    );
    expect(() => loadAuthConfig({ USHER_AUTH_METRICS_PORT: 'x' })).toThrow(
      /USHER_AUTH_METRICS_PORT: expected a port number/,
    );
  });
  it('rejects a bad NATS url', () => {
    expect(() => loadAuthConfig({ USHER_AUTH_ES_URL: 'http://x' })).toThrow(/USHER_AUTH_ES_URL/);
  });
  it('reads named callers with their permission sets and secret hashes, never echoing a bad value', () => {
    const secret = generateClientSecret();
    const c = loadAuthConfig({
      USHER_AUTH_CLIENTS: 'users=issuer, billing=verifier,ci=issuer+admin',
      USHER_AUTH_CLIENT_SECRETS: `users=${hashClientSecret(secret)}`,
    });
    expect([...c.clients]).toEqual([
      ['users', ['issuer']],
      ['billing', ['verifier']],
      ['ci', ['issuer', 'admin']],
    ]);
    expect(c.clientSecrets.get('users')).toBe(hashClientSecret(secret));
    expect(c.revocationStalenessMs).toBe(1000);
    expect(() => loadAuthConfig({ USHER_AUTH_CLIENTS: 'users=owner' })).toThrow(
      /unknown permission set "owner"/,
    );
    expect(() => loadAuthConfig({ USHER_AUTH_CLIENTS: 'users=issuer,users=admin' })).toThrow(/listed twice/);
    let message = '';
    try {
      loadAuthConfig({ USHER_AUTH_CLIENTS: 'users=issuer', USHER_AUTH_CLIENT_SECRETS: `users=${secret}` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/USHER_AUTH_CLIENT_SECRETS: users: expected sha256/);
    expect(message).not.toContain(secret);
    expect(() =>
      loadAuthConfig({
        USHER_AUTH_CLIENTS: 'users=issuer',
        USHER_AUTH_CLIENT_SECRETS: `ops=${hashClientSecret('x')}`,
      }),
    ).toThrow(/ops is not in USHER_AUTH_CLIENTS/);
  });
  it('refuses production without TLS and a client CA, in one line', () => {
    expect(() => loadAuthConfig({ NODE_ENV: 'production' })).toThrow(
      /NODE_ENV: production needs mTLS: set USHER_AUTH_GRPC_SERVER_CERT, USHER_AUTH_GRPC_SERVER_KEY and USHER_AUTH_GRPC_CLIENT_CA_CERTS/,
    );
    expect(() =>
      loadAuthConfig({
        NODE_ENV: 'production',
        USHER_AUTH_GRPC_SERVER_CERT: 'a.crt',
        USHER_AUTH_GRPC_SERVER_KEY: 'a.key',
      }),
    ).toThrow(/production needs mTLS/);
    const c = loadAuthConfig({
      NODE_ENV: 'production',
      USHER_AUTH_GRPC_SERVER_CERT: 'a.crt',
      USHER_AUTH_GRPC_SERVER_KEY: 'a.key',
      USHER_AUTH_GRPC_CLIENT_CA_CERTS: 'ca.crt',
      USHER_AUTH_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(c.production).toBe(true);
  });
  it('reads the users service identity as a caller of auth', () => {
    expect(loadUsersConfig({}).authGrpc).toMatchObject({ clientId: 'users', clientSecret: '' });
    expect(
      loadUsersConfig({ USHER_USERS_AUTH_CLIENT_ID: 'users-2', USHER_USERS_AUTH_CLIENT_SECRET: 's3cret' })
        .authGrpc,
    ).toMatchObject({ clientId: 'users-2', clientSecret: 's3cret' });
  });
});

describe('Magistrala environment files (issue 18)', () => {
  it('reads every MG_* name as a fallback for its USHER_* name, and USHER_* wins', () => {
    const c = loadUsersConfig({
      MG_USERS_HTTP_PORT: '9100',
      MG_USERS_DB_HOST: 'mg-db',
      MG_AUTH_GRPC_URL: 'auth:7001',
      MG_EMAIL_HOST: 'smtp.example.com',
      MG_JAEGER_TRACE_RATIO: '0.5',
      MG_USERS_PASS_REGEX: '^.{12,}$',
      USHER_USERS_ADMIN_EMAIL: 'usher@example.com',
      MG_USERS_ADMIN_EMAIL: 'mg@example.com',
      MG_OAUTH_UI_REDIRECT_URL: 'https://ui.example.com/domains',
    });
    expect(c.http.port).toBe(9100);
    expect(c.db.host).toBe('mg-db');
    expect(c.authGrpc.url).toBe('auth:7001');
    expect(c.email.host).toBe('smtp.example.com');
    expect(c.email.configured).toBe(true);
    expect(c.jaeger.ratio).toBe(0.5);
    expect(c.passRegex.source).toBe('^.{12,}$');
    expect(c.admin.email).toBe('usher@example.com');
    expect(c.oauth.uiRedirectUrl).toBe('https://ui.example.com/domains');
    // The names used, once, for the startup log; the one shadowed by its USHER_* name is not among them.
    expect(c.magistralaFallbacks).toEqual([
      'MG_AUTH_GRPC_URL',
      'MG_EMAIL_HOST',
      'MG_JAEGER_TRACE_RATIO',
      'MG_OAUTH_UI_REDIRECT_URL',
      'MG_USERS_DB_HOST',
      'MG_USERS_HTTP_PORT',
      'MG_USERS_PASS_REGEX',
    ]);
  });

  it('names a bad MG_* value by the USHER_* variable it stands for', () => {
    expect(() => loadUsersConfig({ MG_USERS_HTTP_PORT: 'x' })).toThrow(/USHER_USERS_HTTP_PORT/);
  });

  it('production turns self-registration and unverified users off unless set; development keeps them on', () => {
    const prod = loadUsersConfig({ NODE_ENV: 'production' });
    expect(prod.allowSelfRegister).toBe(false);
    expect(prod.allowUnverifiedUser).toBe(false);
    const dev = loadUsersConfig({});
    expect(dev.allowSelfRegister).toBe(true);
    expect(dev.allowUnverifiedUser).toBe(true);
    const explicit = loadUsersConfig({
      NODE_ENV: 'production',
      MG_USERS_ALLOW_SELF_REGISTER: 'true',
      USHER_USERS_ALLOW_UNVERIFIED_USER: 'true',
    });
    expect(explicit.allowSelfRegister).toBe(true);
    expect(explicit.allowUnverifiedUser).toBe(true);
  });
});
