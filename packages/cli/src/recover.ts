import os from 'os';
import path from 'path';
import { randomBytes, randomUUID } from 'crypto';
import bcrypt from 'bcrypt';
import { Client, type ClientConfig } from 'pg';
import { loadUsersConfig, type DatabaseConfig } from '@usher/config';
import { outboxInsert, outboxRow } from '@usher/events';
import { CliError, EXIT } from './output';

/** The users service's own connection settings (TLS modes, search_path), from its build. */
function pgClientConfig(db: DatabaseConfig): ClientConfig {
  const dist = path.join(path.dirname(require.resolve('@usher/users/package.json')), 'dist');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ds = require(path.join(dist, 'postgres/data-source')) as {
    pgClientConfig(db: DatabaseConfig): ClientConfig;
  };
  return ds.pgClientConfig(db);
}

export interface Recovered {
  id: string;
  email: string;
  username: string;
  temporary_password: string;
}

/**
 * Creates an owner straight in the users database, for when no owner can sign in: an enabled,
 * verified owner whose password is a generated temporary one (credentials.must_change, so the first
 * session may only change it). Audited (`recovery_owner_created`) and announced as a `created` user
 * event through the outbox, in the same transaction.
 */
export async function recoverOwner(options: { email?: string; username?: string }): Promise<Recovered> {
  let config;
  try {
    config = loadUsersConfig(process.env);
  } catch (error) {
    throw new CliError(`invalid configuration: ${(error as Error).message}`, EXIT.usage, 'usage');
  }
  const suffix = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const email = options.email ?? `recovery-${suffix}@usher.invalid`;
  const username = options.username ?? `recovery-${suffix}`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new CliError(`invalid email: ${email}`, EXIT.usage);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(username)) {
    throw new CliError(`invalid username: ${username}`, EXIT.usage);
  }
  const temporary = randomBytes(18).toString('base64url'); // 24 characters, 144 bits
  const hash = await bcrypt.hash(temporary, config.bcryptCost);
  const id = randomUUID();

  const client = new Client({ ...pgClientConfig(config.db), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new CliError(`cannot reach the users database: ${(error as Error).message}`, EXIT.unreachable);
  }
  try {
    await client.query('begin');
    const taken = await client.query(
      'select 1 from users where lower(email) = lower($1) or lower(username) = lower($2)',
      [email, username],
    );
    if (taken.rowCount) throw new CliError(`a user with this email or username exists`, EXIT.conflict);
    const created = await client.query(
      `insert into users (id, email, username, role, status, verified_at, metadata)
       values ($1, $2, $3, 3, 0, now(), $4) returning created_at`,
      [id, email, username, JSON.stringify({ recovery: true })],
    );
    await client.query(
      'insert into credentials (user_id, secret_hash, must_change, updated_at) values ($1, $2, true, now())',
      [id, hash],
    );
    const details = { email, username, role: 'owner', via: 'usher auth recover', host: os.hostname() };
    await client.query(
      `insert into audit_log (id, type, outcome, actor_id, target_id, ip, user_agent, details)
       values ($1, 'recovery_owner_created', 'success', null, $2, '', 'usher-cli', $3)`,
      [randomUUID(), id, JSON.stringify(details)],
    );
    const row = outboxRow({
      type: 'created',
      user: {
        id,
        first_name: '',
        last_name: '',
        email,
        username,
        role: 'owner',
        status: 'enabled',
        tags: [],
        metadata: { recovery: true },
        picture: '',
        created_at: (created.rows[0] as { created_at: Date }).created_at.toISOString(),
      },
      details: { action: 'recovery_owner_created' },
    });
    const [sql, params] = outboxInsert(row);
    await client.query(sql, params);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if (error instanceof CliError) throw error;
    throw new CliError(`recovery failed: ${(error as Error).message}`, EXIT.error);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { id, email, username, temporary_password: temporary };
}
