import { z } from 'zod';
import {
  bool,
  optionalBool,
  duration,
  int,
  logLevel,
  port,
  positiveDuration,
  ratio,
  regex,
  str,
  url,
} from './fields';
import { databaseConfig, databaseFields, type DatabaseConfig } from './database';
import { parseEnv, type Env } from './load';
import { oauthNamesIn, withMagistralaFallbacks } from './magistrala';
import { loadOAuthConfig, type OAuthConfig } from './oauth';
import { securityConfig, securityFields, type SecurityConfig } from './security';

// Every variable of the seed's users-service table, `MG_USERS_*` -> `USHER_USERS_*`, `MG_*` -> `USHER_*`.
export const UsersEnv = z.object({
  USHER_USERS_LOG_LEVEL: logLevel(),
  USHER_USERS_ADMIN_EMAIL: z.email('expected an email address').default('admin@example.com'),
  USHER_USERS_ADMIN_USERNAME: str('admin'),
  USHER_USERS_ADMIN_PASSWORD: z.string().optional(),
  USHER_USERS_PASS_REGEX: regex('^.{8,}$'),
  // Unset: on outside production, off with NODE_ENV=production (Magistrala's safer defaults).
  USHER_USERS_ALLOW_SELF_REGISTER: optionalBool(),
  USHER_USERS_ALLOW_UNVERIFIED_USER: optionalBool(),
  USHER_BCRYPT_COST: int(12, 4, 31),
  USHER_USERS_LOCKOUT_THRESHOLD: int(5, 1, 1000),
  USHER_USERS_LOCKOUT_WINDOW: duration('15m'),
  USHER_USERS_LOCKOUT_DURATION: duration('15m'),
  USHER_REQUIRE_AUTHENTICATION: bool(true),
  NODE_ENV: str('development'),
  USHER_TOKEN_RESET_ENDPOINT: str('/reset-request'),
  USHER_USERS_HTTP_HOST: str('localhost'),
  USHER_USERS_HTTP_PORT: port(9002),
  USHER_USERS_HTTP_SERVER_CERT: str(),
  USHER_USERS_HTTP_SERVER_KEY: str(),
  USHER_USERS_HTTP_SERVER_CA_CERTS: str(),
  USHER_USERS_HTTP_CLIENT_CA_CERTS: str(),
  USHER_AUTH_GRPC_URL: str('localhost:8181'),
  USHER_AUTH_GRPC_TIMEOUT: duration('1s'),
  USHER_AUTH_GRPC_CLIENT_CERT: str(),
  USHER_AUTH_GRPC_CLIENT_KEY: str(),
  USHER_AUTH_GRPC_SERVER_CA_CERTS: str(),
  // This service's name and secret as a caller of auth (without mTLS; issue 15)
  USHER_USERS_AUTH_CLIENT_ID: str('users'),
  USHER_USERS_AUTH_CLIENT_SECRET: str(),
  USHER_AUTH_ISSUER: str('usher'),
  USHER_AUTH_VERIFY_STALENESS: duration('1s'),
  ...databaseFields('USHER_USERS', 'users'),
  USHER_EMAIL_HOST: str('localhost'),
  USHER_EMAIL_PORT: port(25),
  USHER_EMAIL_USERNAME: str(),
  USHER_EMAIL_PASSWORD: str(),
  USHER_EMAIL_FROM_ADDRESS: str(),
  USHER_EMAIL_FROM_NAME: str(),
  USHER_EMAIL_TEMPLATE: str('email.tmpl'),
  USHER_EMAIL_DEV_DIR: str('.usher/mail'),
  USHER_EMAIL_RETRY_INTERVAL: positiveDuration('1s'),
  USHER_EMAIL_RETRY_MAX_INTERVAL: positiveDuration('5m'),
  USHER_PASSWORD_RESET_URL_PREFIX: url(['http', 'https']).default('http://localhost:9002/password/reset'),
  USHER_PASSWORD_RESET_EMAIL_TEMPLATE: str('reset-password-email.tmpl'),
  USHER_RECOVERY_TOKEN_DURATION: positiveDuration('5m'),
  USHER_VERIFICATION_URL_PREFIX: url(['http', 'https']).default('http://localhost:9002/verify-email'),
  USHER_VERIFICATION_EMAIL_TEMPLATE: str('verification-email.tmpl'),
  USHER_VERIFICATION_TOKEN_DURATION: positiveDuration('24h'),
  USHER_INVITATION_URL_PREFIX: url(['http', 'https']).default('http://localhost:9002/invitations/accept'),
  USHER_INVITATION_EMAIL_TEMPLATE: str('invitation-email.tmpl'),
  USHER_INVITATION_DURATION: positiveDuration('72h'),
  USHER_USERS_ES_URL: url(['nats', 'tls']).default('nats://localhost:4222'),
  USHER_USERS_ES_RETENTION: duration('720h'),
  USHER_JAEGER_URL: url(['http', 'https']).default(''),
  USHER_JAEGER_TRACE_RATIO: ratio(1),
  USHER_OAUTH_UI_REDIRECT_URL: str('http://localhost:9095/domains'),
  USHER_OAUTH_UI_ERROR_URL: str('http://localhost:9095/error'),
  // Sign-in with external providers (issue 12): see oauth.ts for the per-provider blocks.
  USHER_OAUTH_CALLBACK_URL_PREFIX: url(['http', 'https']).default('http://localhost:9002/oauth/callback'),
  USHER_OAUTH_TIMEOUT: positiveDuration('10s'),
  USHER_OAUTH_GOOGLE_CLIENT_ID: str(),
  USHER_OAUTH_GOOGLE_CLIENT_SECRET: str(),
  USHER_OAUTH_GITHUB_CLIENT_ID: str(),
  USHER_OAUTH_GITHUB_CLIENT_SECRET: str(),
  USHER_USERS_DELETE_INTERVAL: duration('24h'),
  USHER_USERS_DELETE_AFTER: duration('720h'),
  USHER_SEND_TELEMETRY: bool(true),
  USHER_USERS_INSTANCE_ID: str(),
  USHER_DASHBOARD_ENABLED: bool(true),
  USHER_DASHBOARD_PATH: z
    .string()
    .default('/dashboard')
    .refine((v) => /^\/[\w-]+(\/[\w-]+)*$/.test(v), 'expected a path like /dashboard'),
  ...securityFields,
});

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface UsersConfig {
  logLevel: string;
  admin: { email: string; username: string; password?: string };
  passRegex: RegExp;
  allowSelfRegister: boolean;
  allowUnverifiedUser: boolean;
  bcryptCost: number;
  lockout: { threshold: number; windowMs: number; durationMs: number };
  /** Issue 16: trusted proxies (and later limits and password checks). */
  security: SecurityConfig;
  /** USHER_REQUIRE_AUTHENTICATION: when false, requests without a token act as the owner. */
  requireAuthentication: boolean;
  production: boolean;
  http: { host: string; port: number; tls: TlsFiles & { clientCa: string } };
  authGrpc: {
    url: string;
    timeoutMs: number;
    tls: TlsFiles;
    clientId: string;
    clientSecret: string;
    /** USHER_AUTH_ISSUER: the `iss` access tokens are verified against. */
    issuer: string;
    /** USHER_AUTH_VERIFY_STALENESS: revocation stream silence before falling back to Authenticate. */
    stalenessMs: number;
  };
  db: DatabaseConfig;
  natsUrl: string;
  /** USHER_USERS_ES_RETENTION: how long the USHER_USERS stream keeps events. */
  eventsRetentionMs: number;
  jaeger: { url: string; ratio: number };
  deleteIntervalMs: number;
  deleteAfterMs: number;
  instanceId: string;
  /** USHER_DASHBOARD_ENABLED and USHER_DASHBOARD_PATH: the web dashboard served by this service. */
  dashboard: { enabled: boolean; path: string };
  email: EmailConfig;
  /** Emailed links: where they point (the token is added as `?token=`) and how long they work. */
  links: Record<'passwordReset' | 'verification' | 'invitation', { urlPrefix: string; ttlMs: number }>;
  /** Sign-in with external identity providers (USHER_OAUTH_*). */
  oauth: OAuthConfig;
  /** The `MG_*` variables read as fallbacks for unset `USHER_*` names (logged once at startup). */
  magistralaFallbacks: string[];
}

export interface EmailConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  fromAddress: string;
  fromName: string;
  /**
   * False when neither USHER_EMAIL_HOST nor USHER_EMAIL_PORT is set: outside production, mails then
   * go to `.eml` files in `devDir` when nothing answers on the default localhost:25.
   */
  configured: boolean;
  devDir: string;
  /** Exponential backoff between delivery attempts: the first wait, and the longest. */
  retry: { baseMs: number; maxMs: number };
  /** Template file names (USHER_*_EMAIL_TEMPLATE). */
  templates: Record<'passwordReset' | 'verification' | 'invitation', string>;
}

export function loadUsersConfig(rawEnv: Env = process.env): UsersConfig {
  const names = new Set([...Object.keys(UsersEnv.shape), ...oauthNamesIn(rawEnv)]);
  const { env, used } = withMagistralaFallbacks(rawEnv, names);
  const e = parseEnv(UsersEnv, env);
  const production = e.NODE_ENV === 'production';
  return {
    logLevel: e.USHER_USERS_LOG_LEVEL,
    admin: {
      email: e.USHER_USERS_ADMIN_EMAIL,
      username: e.USHER_USERS_ADMIN_USERNAME,
      password: e.USHER_USERS_ADMIN_PASSWORD,
    },
    passRegex: new RegExp(e.USHER_USERS_PASS_REGEX),
    allowSelfRegister: e.USHER_USERS_ALLOW_SELF_REGISTER ?? !production,
    allowUnverifiedUser: e.USHER_USERS_ALLOW_UNVERIFIED_USER ?? !production,
    bcryptCost: e.USHER_BCRYPT_COST,
    lockout: {
      threshold: e.USHER_USERS_LOCKOUT_THRESHOLD,
      windowMs: e.USHER_USERS_LOCKOUT_WINDOW,
      durationMs: e.USHER_USERS_LOCKOUT_DURATION,
    },
    security: securityConfig(e),
    requireAuthentication: e.USHER_REQUIRE_AUTHENTICATION,
    production,
    http: {
      host: e.USHER_USERS_HTTP_HOST,
      port: e.USHER_USERS_HTTP_PORT,
      tls: {
        cert: e.USHER_USERS_HTTP_SERVER_CERT,
        key: e.USHER_USERS_HTTP_SERVER_KEY,
        ca: e.USHER_USERS_HTTP_SERVER_CA_CERTS,
        clientCa: e.USHER_USERS_HTTP_CLIENT_CA_CERTS,
      },
    },
    authGrpc: {
      url: e.USHER_AUTH_GRPC_URL,
      timeoutMs: e.USHER_AUTH_GRPC_TIMEOUT,
      issuer: e.USHER_AUTH_ISSUER,
      stalenessMs: e.USHER_AUTH_VERIFY_STALENESS,
      tls: {
        cert: e.USHER_AUTH_GRPC_CLIENT_CERT,
        key: e.USHER_AUTH_GRPC_CLIENT_KEY,
        ca: e.USHER_AUTH_GRPC_SERVER_CA_CERTS,
      },
      clientId: e.USHER_USERS_AUTH_CLIENT_ID,
      clientSecret: e.USHER_USERS_AUTH_CLIENT_SECRET,
    },
    db: databaseConfig('USHER_USERS', e),
    natsUrl: e.USHER_USERS_ES_URL,
    eventsRetentionMs: e.USHER_USERS_ES_RETENTION,
    jaeger: { url: e.USHER_JAEGER_URL, ratio: e.USHER_JAEGER_TRACE_RATIO },
    deleteIntervalMs: e.USHER_USERS_DELETE_INTERVAL,
    deleteAfterMs: e.USHER_USERS_DELETE_AFTER,
    instanceId: e.USHER_USERS_INSTANCE_ID,
    dashboard: { enabled: e.USHER_DASHBOARD_ENABLED, path: e.USHER_DASHBOARD_PATH },
    email: {
      host: e.USHER_EMAIL_HOST,
      port: e.USHER_EMAIL_PORT,
      username: e.USHER_EMAIL_USERNAME,
      password: e.USHER_EMAIL_PASSWORD,
      fromAddress: e.USHER_EMAIL_FROM_ADDRESS,
      fromName: e.USHER_EMAIL_FROM_NAME,
      configured: Boolean(env.USHER_EMAIL_HOST || env.USHER_EMAIL_PORT),
      devDir: e.USHER_EMAIL_DEV_DIR,
      retry: { baseMs: e.USHER_EMAIL_RETRY_INTERVAL, maxMs: e.USHER_EMAIL_RETRY_MAX_INTERVAL },
      templates: {
        passwordReset: e.USHER_PASSWORD_RESET_EMAIL_TEMPLATE,
        verification: e.USHER_VERIFICATION_EMAIL_TEMPLATE,
        invitation: e.USHER_INVITATION_EMAIL_TEMPLATE,
      },
    },
    links: {
      passwordReset: { urlPrefix: e.USHER_PASSWORD_RESET_URL_PREFIX, ttlMs: e.USHER_RECOVERY_TOKEN_DURATION },
      verification: {
        urlPrefix: e.USHER_VERIFICATION_URL_PREFIX,
        ttlMs: e.USHER_VERIFICATION_TOKEN_DURATION,
      },
      invitation: { urlPrefix: e.USHER_INVITATION_URL_PREFIX, ttlMs: e.USHER_INVITATION_DURATION },
    },
    oauth: loadOAuthConfig(env, e),
    magistralaFallbacks: used,
  };
}
