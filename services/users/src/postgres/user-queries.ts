import type { Repository } from 'typeorm';
import { roleLevel } from '@usher/contracts';
import { USER_STATUSES, type ListQuery, type Page, type SearchQuery, type User } from '../service';
import type { UserRow } from './entities';

// Substring filters run on lower(field) with trigram GIN indexes (migration 1763910000000);
// LIKE metacharacters in user input are escaped so they match themselves.
const escapeLike = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

const TEXT_FILTERS = [
  ['email', 'email'],
  ['username', 'username'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
] as const;

export async function listUsers(
  repo: Repository<UserRow>,
  q: ListQuery,
  fromRow: (r: UserRow) => User,
): Promise<Page<User>> {
  const qb = repo.createQueryBuilder('u');
  if (q.status !== 'all') qb.andWhere('u.status = :status', { status: USER_STATUSES.indexOf(q.status) });
  for (const [key, column] of TEXT_FILTERS) {
    const value = q[key];
    if (value)
      qb.andWhere(`lower(u.${column}) like :${key} escape '\\'`, { [key]: `%${escapeLike(value)}%` });
  }
  if (q.tags?.length) qb.andWhere('u.tags @> :tags', { tags: q.tags });
  if (q.metadata) qb.andWhere('u.metadata @> :metadata::jsonb', { metadata: JSON.stringify(q.metadata) });
  if (q.role) qb.andWhere('u.role = :role', { role: roleLevel(q.role) });
  if (q.createdFrom) qb.andWhere('u.created_at >= :from', { from: q.createdFrom });
  if (q.createdTo) qb.andWhere('u.created_at <= :to', { to: q.createdTo });
  const total = await qb.getCount();
  if (q.onlyTotal) return { total, offset: q.offset, limit: q.limit, items: [] };
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const rows = await qb
    .orderBy(`u.${q.order}`, dir, 'NULLS LAST')
    .addOrderBy('u.id', dir)
    .offset(q.offset)
    .limit(q.limit)
    .getMany();
  return { total, offset: q.offset, limit: q.limit, items: rows.map(fromRow) };
}

export async function searchUsers(
  repo: Repository<UserRow>,
  q: SearchQuery,
  statuses: number[],
  fromRow: (r: UserRow) => User,
): Promise<Page<User>> {
  const qb = repo.createQueryBuilder('u').where('u.status in (:...statuses)', { statuses });
  if (q.id) qb.andWhere('u.id = :id', { id: q.id });
  for (const [key, column] of TEXT_FILTERS) {
    const value = q[key];
    if (value)
      qb.andWhere(`lower(u.${column}) like :${key} escape '\\'`, { [key]: `%${escapeLike(value)}%` });
  }
  const [rows, total] = await qb
    .orderBy('u.username', 'ASC')
    .addOrderBy('u.id', 'ASC')
    .offset(q.offset)
    .limit(q.limit)
    .getManyAndCount();
  return { total, offset: q.offset, limit: q.limit, items: rows.map(fromRow) };
}
