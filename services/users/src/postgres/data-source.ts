import fs from 'fs';
import { DataSource } from 'typeorm';
import type { ClientConfig } from 'pg';
import type { DatabaseConfig } from '@usher/config';
import { AuditEntity, CredentialEntity, LoginAttemptEntity, UserEntity } from './entities';
import { CreateUsers1763900000000 } from './migrations/1763900000000-create-users';
import { Accounts1763910000000 } from './migrations/1763910000000-accounts';
import { EmailFlows1763940000000 } from './migrations/1763940000000-email-flows';
import { Outbox1763920000000 } from './migrations/1763920000000-outbox';
import { ListAtScale1763950000000 } from './migrations/1763950000000-list-at-scale';
import { OAuthIdentities1763960000000 } from './migrations/1763960000000-oauth-identities';
import { Settings1763980000000 } from './migrations/1763980000000-settings';
import { PrivateMetadata1763990180000 } from './migrations/1763990180000-private-metadata';

/** The PostgreSQL schema that holds every table of the users service. */
export const SCHEMA = 'users';

export function pgConnectionOptions(db: DatabaseConfig) {
  const read = (f: string) => (f ? fs.readFileSync(f).toString() : undefined);
  const ssl =
    db.sslMode === 'disable'
      ? false
      : {
          rejectUnauthorized: db.sslMode === 'verify-ca' || db.sslMode === 'verify-full',
          ca: read(db.sslRootCert),
          cert: read(db.sslCert),
          key: read(db.sslKey),
          ...(db.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
        };
  return db.url
    ? { url: db.url, ssl }
    : { host: db.host, port: db.port, username: db.user, password: db.password, database: db.database, ssl };
}

/** The same database for plain `pg` clients (the outbox relay), resolving names in our schema. */
export function pgClientConfig(db: DatabaseConfig): ClientConfig {
  const o = pgConnectionOptions(db) as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    database?: string;
    ssl: ClientConfig['ssl'];
  };
  const options = `-c search_path=${SCHEMA},public`;
  return o.url
    ? { connectionString: o.url, ssl: o.ssl, options }
    : {
        host: o.host,
        port: o.port,
        user: o.username,
        password: o.password,
        database: o.database,
        ssl: o.ssl,
        options,
      };
}

/** Connects, makes sure the schema exists and runs the checked-in migrations (never synchronize). */
export async function openDatabase(db: DatabaseConfig, poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    ...pgConnectionOptions(db),
    schema: SCHEMA,
    entities: [UserEntity, CredentialEntity, AuditEntity, LoginAttemptEntity],
    migrations: [
      CreateUsers1763900000000,
      Accounts1763910000000,
      Outbox1763920000000,
      EmailFlows1763940000000,
      ListAtScale1763950000000,
      OAuthIdentities1763960000000,
      Settings1763980000000,
      PrivateMetadata1763990180000,
    ],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // Raw SQL (migrations, queries) resolves unqualified names in our schema too.
    extra: { max: poolSize, application_name: 'usher-users', options: `-c search_path=${SCHEMA},public` },
  });
  await dataSource.initialize();
  try {
    // Replicas starting together take turns: a session lock held around schema creation and migrations.
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query(`select pg_advisory_lock(hashtext('usher.users.migrations'))`);
      await lock.query(`create schema if not exists ${SCHEMA}`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock
        .query(`select pg_advisory_unlock(hashtext('usher.users.migrations'))`)
        .catch(() => undefined);
      await lock.release();
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
