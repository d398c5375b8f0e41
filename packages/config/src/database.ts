import { z } from 'zod';
import { port, sslMode, str, url } from './fields';

/** Connection settings for one service's PostgreSQL database. */
export interface DatabaseConfig {
  /** Full connection URL; when set it wins over the individual fields. */
  url?: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslMode: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  sslCert: string;
  sslKey: string;
  sslRootCert: string;
}

/** The seed's `MG_<SVC>_DB_*` variables as `USHER_<SVC>_DB_*`, plus `USHER_DB_URL` for both services. */
export function databaseFields<P extends string>(prefix: P, defaultName: string) {
  return {
    USHER_DB_URL: url(['postgres', 'postgresql']).optional(),
    [`${prefix}_DB_HOST`]: str('localhost'),
    [`${prefix}_DB_PORT`]: port(5432),
    [`${prefix}_DB_USER`]: str('usher'),
    [`${prefix}_DB_PASS`]: str('usher'),
    [`${prefix}_DB_NAME`]: str(defaultName),
    [`${prefix}_DB_SSL_MODE`]: sslMode(),
    [`${prefix}_DB_SSL_CERT`]: str(),
    [`${prefix}_DB_SSL_KEY`]: str(),
    [`${prefix}_DB_SSL_ROOT_CERT`]: str(),
  } as Record<string, z.ZodType>;
}

export function databaseConfig(prefix: string, env: Record<string, unknown>): DatabaseConfig {
  const get = (k: string) => env[`${prefix}_DB_${k}`];
  return {
    url: (env.USHER_DB_URL as string | undefined) || undefined,
    host: get('HOST') as string,
    port: get('PORT') as number,
    user: get('USER') as string,
    password: get('PASS') as string,
    database: get('NAME') as string,
    sslMode: get('SSL_MODE') as DatabaseConfig['sslMode'],
    sslCert: get('SSL_CERT') as string,
    sslKey: get('SSL_KEY') as string,
    sslRootCert: get('SSL_ROOT_CERT') as string,
  };
}
