import fs from 'fs';
import type { ConnectionOptions, TlsOptions } from 'tls';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@usher/config';
import { ENTITIES, SCHEMA } from './entities';
import { Initial1732000000000 } from './migrations/1732000000000-initial';
import { ApiKeys1733000000000 } from './migrations/1733000000000-api-keys';
import { RevocationCursor1734500000000 } from './migrations/1734500000000-revocation-cursor';

export const MIGRATIONS = [Initial1732000000000, ApiKeys1733000000000, RevocationCursor1734500000000];

/** pg TLS options for the seed's sslmode values; undefined leaves it to the URL (or off). */
export function sslOptions(db: DatabaseConfig): TlsOptions | false | undefined {
  if (db.url) return undefined; // the URL's own sslmode applies
  const read = (file: string) => (file ? fs.readFileSync(file) : undefined);
  const files = { ca: read(db.sslRootCert), cert: read(db.sslCert), key: read(db.sslKey) };
  switch (db.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      // pg hands these to tls.connect, which takes checkServerIdentity: verify the chain, not the name
      return {
        ...files,
        rejectUnauthorized: true,
        checkServerIdentity: () => undefined,
      } as ConnectionOptions as TlsOptions;
    case 'verify-full':
      return { ...files, rejectUnauthorized: true };
  }
}

export function createDataSource(db: DatabaseConfig, poolSize = 10): DataSource {
  const connection = db.url
    ? { url: db.url }
    : { host: db.host, port: db.port, username: db.user, password: db.password, database: db.database };
  return new DataSource({
    type: 'postgres',
    ...connection,
    ssl: sslOptions(db),
    schema: SCHEMA,
    applicationName: 'usher-auth',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize,
  });
}

/** Key for pg advisory locks, namespaced: both services may share one database. */
export const lockKey = (name: string) => `usher.auth.${name}`;

/**
 * Connects, creates the `auth` schema and runs pending migrations. An advisory lock keeps two
 * replicas starting together from migrating at the same time.
 */
export async function openDatabase(db: DatabaseConfig): Promise<DataSource> {
  const ds = createDataSource(db);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey('migrations')]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey('migrations')]);
    }
  } catch (err) {
    await runner.release();
    await ds.destroy();
    throw err;
  }
  await runner.release();
  return ds;
}
