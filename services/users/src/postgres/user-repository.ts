import { roleLevel, roleName, type RoleName } from '@usher/contracts';
import { ConflictError } from '../errors';
import type { AccessState, UsersRepository } from '../ports';
import {
  USER_STATUSES,
  type ListQuery,
  type Page,
  type SearchQuery,
  type User,
  type UserStatus,
} from '../service';
import { listUsers, searchUsers } from './user-queries';
import { CredentialEntity, UserEntity, type UserRow } from './entities';
import type { Transactor } from './tx';

// Unique indexes -> the domain error a client can act on (the seed's postgres/errors.go idea).
const CONSTRAINT_ERRORS: Record<string, string> = {
  users_email_key: 'email already taken',
  users_username_key: 'username already taken',
  users_pkey: 'user already exists',
};

export function mapDbError(error: unknown): unknown {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.code ?? e.driverError?.code;
  const constraint = e.constraint ?? e.driverError?.constraint;
  if (code === '23505') return new ConflictError(CONSTRAINT_ERRORS[constraint ?? ''] ?? 'already exists');
  return error;
}

const statusLevel = (s: UserStatus) => USER_STATUSES.indexOf(s);

export function toRow(u: User): UserRow {
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    username: u.username,
    role: roleLevel(u.role),
    status: statusLevel(u.status),
    tags: u.tags,
    metadata: u.metadata,
    private_metadata: u.privateMetadata,
    picture: u.picture,
    verified_at: u.verifiedAt,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    updated_by: u.updatedBy,
  };
}

export function fromRow(r: UserRow): User {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    username: r.username,
    role: roleName(r.role),
    status: USER_STATUSES[r.status] ?? 'disabled',
    tags: r.tags ?? [],
    metadata: r.metadata ?? {},
    privateMetadata: r.private_metadata ?? {},
    picture: r.picture,
    verifiedAt: r.verified_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

// User fields -> columns, for partial updates.
const COLUMN: Partial<Record<keyof User, keyof UserRow>> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  username: 'username',
  role: 'role',
  status: 'status',
  tags: 'tags',
  metadata: 'metadata',
  privateMetadata: 'private_metadata',
  picture: 'picture',
  verifiedAt: 'verified_at',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
};

export class PostgresUsersRepository implements UsersRepository {
  constructor(private readonly tx: Transactor) {}

  private users() {
    return this.tx.manager().getRepository(UserEntity);
  }

  create(user: User, secretHash: string): Promise<User> {
    return this.tx.run(async () => {
      try {
        await this.users().insert(toRow(user));
        await this.tx
          .manager()
          .getRepository(CredentialEntity)
          .insert({ user_id: user.id, secret_hash: secretHash, updated_at: new Date() });
      } catch (error) {
        throw mapDbError(error);
      }
      return user;
    });
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.users().findOneBy({ id });
    return row ? fromRow(row) : null;
  }

  async findCredentials(identity: string): Promise<{ user: User; secretHash: string } | null> {
    const row = await this.users()
      .createQueryBuilder('u')
      .innerJoin(CredentialEntity.options.name, 'c', 'c.user_id = u.id')
      .addSelect('c.secret_hash', 'secret_hash')
      .where('lower(u.email) = lower(:identity) or lower(u.username) = lower(:identity)', { identity })
      .orderBy('u.created_at')
      .getRawAndEntities();
    const entity = row.entities[0];
    if (!entity) return null;
    return { user: fromRow(entity), secretHash: (row.raw[0] as { secret_hash: string }).secret_hash };
  }

  async lockCredentials(id: string): Promise<{ user: User; secretHash: string } | null> {
    // FOR SHARE waits for a change in flight (its UPDATE holds the row) and keeps the row as read
    // until this transaction ends.
    const row = await this.users()
      .createQueryBuilder('u')
      .innerJoin(CredentialEntity.options.name, 'c', 'c.user_id = u.id')
      .addSelect('c.secret_hash', 'secret_hash')
      .where('u.id = :id', { id })
      .setLock('pessimistic_read')
      .getRawAndEntities();
    const entity = row.entities[0];
    if (!entity) return null;
    return { user: fromRow(entity), secretHash: (row.raw[0] as { secret_hash: string }).secret_hash };
  }

  async replaceSecretHash(id: string, expected: string, secretHash: string): Promise<boolean> {
    const [, count] = (await this.tx
      .manager()
      .query(
        `update credentials set secret_hash = $3, updated_at = now() where user_id = $1 and secret_hash = $2`,
        [id, expected, secretHash],
      )) as [unknown, number];
    return count === 1;
  }

  async secretHashOf(id: string): Promise<string | null> {
    const row = await this.tx.manager().getRepository(CredentialEntity).findOneBy({ user_id: id });
    return row?.secret_hash ?? null;
  }

  async update(user: User, fields: (keyof User)[]): Promise<User> {
    const row = toRow(user);
    const set: Partial<UserRow> = {};
    for (const f of fields) {
      const column = COLUMN[f];
      if (column) (set as Record<string, unknown>)[column] = row[column];
    }
    // Soft delete stamps when it happened: the purge counts USHER_USERS_DELETE_AFTER from there.
    if (fields.includes('status')) set.deleted_at = user.status === 'deleted' ? new Date() : null;
    try {
      await this.users().update({ id: user.id }, set);
    } catch (error) {
      throw mapDbError(error);
    }
    return user;
  }

  async firstEnabledOwner(): Promise<string | null> {
    const row = await this.users().findOne({
      where: { role: roleLevel('owner'), status: statusLevel('enabled') },
      order: { created_at: 'ASC' },
    });
    return row?.id ?? null;
  }

  async lockEnabledOwners(): Promise<string[]> {
    const rows: { id: string }[] = await this.tx
      .manager()
      .query(`select id from users where role = $1 and status = $2 for update`, [
        roleLevel('owner'),
        statusLevel('enabled'),
      ]);
    return rows.map((r) => r.id);
  }

  list(query: ListQuery): Promise<Page<User>> {
    return listUsers(this.users(), query, fromRow);
  }

  search(query: SearchQuery, statuses: UserStatus[]): Promise<Page<User>> {
    return searchUsers(this.users(), query, statuses.map(statusLevel), fromRow);
  }

  async deletedBefore(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.tx
      .manager()
      .query(
        `select id from users where status = $1 and deleted_at < $2 order by deleted_at limit $3 for update skip locked`,
        [statusLevel('deleted'), before, limit],
      );
    return rows.map((r) => r.id);
  }

  async hardDelete(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.users().delete(ids);
    return result.affected ?? 0;
  }

  async updateSecretHash(
    id: string,
    secretHash: string,
    options: { mustChange?: boolean } = {},
  ): Promise<void> {
    await this.tx.manager().query(
      `update credentials set secret_hash = $2, updated_at = now(), must_change = coalesce($3, must_change)
          where user_id = $1`,
      [id, secretHash, options.mustChange ?? null],
    );
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.users()
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
    return row ? fromRow(row) : null;
  }

  async accessState(id: string): Promise<AccessState | null> {
    const rows: { verified: boolean; must_change: boolean | null }[] = await this.tx.manager().query(
      `select u.verified_at is not null as verified, c.must_change
           from users u left join credentials c on c.user_id = u.id
          where u.id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { verified: row.verified, mustChangeSecret: row.must_change === true } : null;
  }

  countByRole(role: RoleName): Promise<number> {
    return this.users()
      .createQueryBuilder('u')
      .where('u.role = :role and u.status <> :deleted', {
        role: roleLevel(role),
        deleted: statusLevel('deleted'),
      })
      .getCount();
  }
}
