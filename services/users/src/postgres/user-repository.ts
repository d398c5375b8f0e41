import { roleLevel, roleName, type RoleName } from '@usher/contracts';
import { ConflictError } from '../errors';
import { USER_STATUSES, type User, type UserStatus, type UsersRepository } from '../service';
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
    picture: r.picture,
    verifiedAt: r.verified_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

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

  async updateSecretHash(id: string, secretHash: string): Promise<void> {
    await this.tx
      .manager()
      .getRepository(CredentialEntity)
      .update({ user_id: id }, { secret_hash: secretHash, updated_at: new Date() });
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
