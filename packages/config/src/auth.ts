import { z } from 'zod';
import { duration, logLevel, port, positiveDuration, ratio, str, url } from './fields';
import { databaseConfig, databaseFields, type DatabaseConfig } from './database';
import { ConfigError, parseEnv, type Env } from './load';
import { parseKek } from './secret-box';
import type { TlsFiles } from './users';
import { parseAuthClients, parseClientSecrets, type AuthClients } from './auth-clients';

const kek = () =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      for (const part of (v ?? '').split(',').filter((p) => p.trim())) {
        try {
          parseKek(part);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return;
        }
      }
    });

export const AuthEnv = z.object({
  USHER_AUTH_LOG_LEVEL: logLevel(),
  USHER_AUTH_GRPC_HOST: str('localhost'),
  USHER_AUTH_GRPC_PORT: port(8181),
  USHER_AUTH_GRPC_SERVER_CERT: str(),
  USHER_AUTH_GRPC_SERVER_KEY: str(),
  USHER_AUTH_GRPC_CLIENT_CA_CERTS: str(),
  USHER_AUTH_HTTP_HOST: str('localhost'),
  // Port of /health and /metrics; USHER_AUTH_HTTP_PORT is its older name, still read.
  USHER_AUTH_METRICS_PORT: port(8189).unwrap().optional(),
  USHER_AUTH_HTTP_PORT: port(8189).unwrap().optional(),
  ...databaseFields('USHER_AUTH', 'auth'),
  USHER_AUTH_ISSUER: str('usher'),
  USHER_AUTH_ACCESS_TOKEN_DURATION: duration('15m'),
  USHER_AUTH_REFRESH_TOKEN_DURATION: duration('24h'),
  USHER_AUTH_RECOVERY_TOKEN_DURATION: duration('5m'),
  USHER_AUTH_SESSION_DURATION: duration('720h'),
  USHER_AUTH_SESSION_IDLE_TIMEOUT: duration('24h'),
  USHER_AUTH_KEY_ROTATION_INTERVAL: duration('720h'),
  USHER_AUTH_REVOCATION_POLL_INTERVAL: duration('500ms'),
  // Past this without NATS and without a successful poll, checks answer UNAVAILABLE (fail closed).
  USHER_AUTH_REVOCATION_STALENESS_BOUND: positiveDuration('1s'),
  USHER_AUTH_CLIENTS: str(),
  USHER_AUTH_CLIENT_SECRETS: str(),
  USHER_AUTH_ES_URL: url(['nats', 'tls']).default('nats://localhost:4222'),
  USHER_JAEGER_URL: url(['http', 'https']).default(''),
  USHER_JAEGER_TRACE_RATIO: ratio(1),
  USHER_AUTH_INSTANCE_ID: str(),
  NODE_ENV: str('development'),
  // 32 random bytes (hex or base64) encrypting signing keys at rest; required in production.
  USHER_AUTH_KEY_ENCRYPTION_KEY: kek(),
  // Comma-separated KEKs still accepted for decryption while rotating; rows are re-encrypted on start.
  USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS: kek(),
});

export interface AuthConfig {
  logLevel: string;
  grpc: { host: string; port: number; tls: TlsFiles };
  /** /health and /metrics. */
  http: { host: string; port: number };
  db: DatabaseConfig;
  issuer: string;
  accessTtlMs: number;
  refreshTtlMs: number;
  recoveryTtlMs: number;
  sessionTtlMs: number;
  sessionIdleMs: number;
  keyRotationMs: number;
  revocationPollMs: number;
  /** Without NATS, a replica whose last good poll is older than this fails closed. */
  revocationStalenessMs: number;
  /** Named callers and their permission sets (USHER_AUTH_CLIENTS). */
  clients: AuthClients;
  /** Client name -> sha256:<hex> of its secret (USHER_AUTH_CLIENT_SECRETS). */
  clientSecrets: ReadonlyMap<string, string>;
  natsUrl: string;
  jaeger: { url: string; ratio: number };
  instanceId: string;
  production: boolean;
  /** Key-encryption keys for secrets at rest; without `current` (development only) keys stay plaintext. */
  keyEncryption: { current?: Buffer; previous: Buffer[] };
}

export function loadAuthConfig(env: Env = process.env): AuthConfig {
  const e = parseEnv(AuthEnv, env);
  const production = e.NODE_ENV === 'production';
  const current = e.USHER_AUTH_KEY_ENCRYPTION_KEY;
  const previous = (e.USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS ?? '').split(',').filter((p) => p.trim());
  // every production requirement is reported at once, so one restart fixes them all
  const problems: { variable: string; reason: string }[] = [];
  if (!current && (production || previous.length > 0))
    problems.push({
      variable: 'USHER_AUTH_KEY_ENCRYPTION_KEY',
      reason: production
        ? 'required with NODE_ENV=production (signing keys are encrypted under it); generate one with `openssl rand -base64 32`'
        : 'required when USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS is set',
    });
  if (
    production &&
    !(e.USHER_AUTH_GRPC_SERVER_CERT && e.USHER_AUTH_GRPC_SERVER_KEY && e.USHER_AUTH_GRPC_CLIENT_CA_CERTS)
  )
    problems.push({
      variable: 'NODE_ENV',
      reason:
        'production needs mTLS: set USHER_AUTH_GRPC_SERVER_CERT, USHER_AUTH_GRPC_SERVER_KEY and USHER_AUTH_GRPC_CLIENT_CA_CERTS',
    });
  if (problems.length > 0) throw new ConfigError(problems);
  const clients = parseAuthClients(e.USHER_AUTH_CLIENTS);
  return {
    logLevel: e.USHER_AUTH_LOG_LEVEL,
    grpc: {
      host: e.USHER_AUTH_GRPC_HOST,
      port: e.USHER_AUTH_GRPC_PORT,
      tls: {
        cert: e.USHER_AUTH_GRPC_SERVER_CERT,
        key: e.USHER_AUTH_GRPC_SERVER_KEY,
        ca: e.USHER_AUTH_GRPC_CLIENT_CA_CERTS,
      },
    },
    http: {
      host: e.USHER_AUTH_HTTP_HOST,
      port: e.USHER_AUTH_METRICS_PORT ?? e.USHER_AUTH_HTTP_PORT ?? 8189,
    },
    db: databaseConfig('USHER_AUTH', e),
    issuer: e.USHER_AUTH_ISSUER,
    accessTtlMs: e.USHER_AUTH_ACCESS_TOKEN_DURATION,
    refreshTtlMs: e.USHER_AUTH_REFRESH_TOKEN_DURATION,
    recoveryTtlMs: e.USHER_AUTH_RECOVERY_TOKEN_DURATION,
    sessionTtlMs: e.USHER_AUTH_SESSION_DURATION,
    sessionIdleMs: e.USHER_AUTH_SESSION_IDLE_TIMEOUT,
    keyRotationMs: e.USHER_AUTH_KEY_ROTATION_INTERVAL,
    revocationPollMs: e.USHER_AUTH_REVOCATION_POLL_INTERVAL,
    revocationStalenessMs: e.USHER_AUTH_REVOCATION_STALENESS_BOUND,
    clients,
    clientSecrets: parseClientSecrets(e.USHER_AUTH_CLIENT_SECRETS, clients),
    natsUrl: e.USHER_AUTH_ES_URL,
    jaeger: { url: e.USHER_JAEGER_URL, ratio: e.USHER_JAEGER_TRACE_RATIO },
    instanceId: e.USHER_AUTH_INSTANCE_ID,
    production,
    keyEncryption: { current: current ? parseKek(current) : undefined, previous: previous.map(parseKek) },
  };
}
