import type { Repository, SelectQueryBuilder } from 'typeorm';
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

// Order fields that may hold NULL: only these say where NULLs go. On the NOT NULL ones a NULLS
// clause changes nothing but keeps PostgreSQL from walking an index backwards for `desc`.
const NULLABLE_ORDER = new Set<string>(['updated_at']);

interface Order {
  column: string;
  dir: 'ASC' | 'DESC';
}

const nullsOf = (o: Order) => (NULLABLE_ORDER.has(o.column) ? 'NULLS LAST' : undefined);

function textFilters(qb: SelectQueryBuilder<UserRow>, q: ListQuery | SearchQuery) {
  for (const [key, column] of TEXT_FILTERS) {
    const value = q[key];
    if (value)
      qb.andWhere(`lower(u.${column}) like :${key} escape '\\'`, { [key]: `%${escapeLike(value)}%` });
  }
}

const withTotal = (raw: { total: string }[], offset: number, countAlone: () => Promise<number>) =>
  // A page past the end has no row to carry the total: it is counted on its own then.
  raw.length > 0 ? Promise.resolve(Number(raw[0]!.total)) : offset > 0 ? countAlone() : Promise.resolve(0);

/**
 * A page of what `matching` (alias u, filters only) finds, with the exact total, in one statement
 * that finds the matching rows once: the innermost query takes each match's id and sort key and
 * `count(*) over ()`, unordered, so PostgreSQL collects the matches the cheapest way (a trigram
 * bitmap scan) instead of walking an index in sort order through the whole table, which it would
 * pick were the ORDER BY ... LIMIT next to the window; a top-N sort takes the page from those, and
 * only the page's rows are read in full, by primary key. One snapshot: total and rows agree.
 */
async function matchesPage(
  repo: Repository<UserRow>,
  matching: SelectQueryBuilder<UserRow>,
  order: Order,
  offset: number,
  limit: number,
  fromRow: (r: UserRow) => User,
): Promise<Page<User>> {
  const nulls = nullsOf(order);
  const matches = matching
    .select('u.id', 'id')
    .addSelect(`u.${order.column}`, 'ord')
    .addSelect('count(*) over ()', 'total');
  const pageSql =
    `(select * from (${matches.getQuery()}) m ` +
    `order by m.ord ${order.dir}${nulls ? ` ${nulls}` : ''}, m.id ${order.dir} limit :pageLimit offset :pageOffset)`;
  const { entities, raw } = await repo
    .createQueryBuilder('r')
    .innerJoin(pageSql, 'p', 'p.id = r.id')
    .addSelect('p.total', 'total')
    .setParameters({ ...matches.getParameters(), pageLimit: limit, pageOffset: offset })
    .orderBy('p.ord', order.dir, nulls)
    .addOrderBy('p.id', order.dir)
    .getRawAndEntities<{ total: string }>();
  const total = await withTotal(raw, offset, () => matching.getCount());
  return { total, offset, limit, items: entities.map(fromRow) };
}

export async function listUsers(
  repo: Repository<UserRow>,
  q: ListQuery,
  fromRow: (r: UserRow) => User,
): Promise<Page<User>> {
  const qb = repo.createQueryBuilder('u');
  const status = q.status === 'all' ? undefined : USER_STATUSES.indexOf(q.status);
  const role = q.role ? roleLevel(q.role) : undefined;
  if (status !== undefined) qb.andWhere('u.status = :status', { status });
  textFilters(qb, q);
  if (q.tags?.length)
    qb.andWhere(q.tagsMatch === 'all' ? 'u.tags @> :tags' : 'u.tags && :tags', { tags: q.tags });
  if (q.id)
    qb.andWhere(`u.id::text like :idPart escape '\\'`, { idPart: `%${escapeLike(q.id.toLowerCase())}%` });
  if (q.metadata) qb.andWhere('u.metadata @> :metadata::jsonb', { metadata: JSON.stringify(q.metadata) });
  if (role !== undefined) qb.andWhere('u.role = :role', { role });
  if (q.createdFrom) qb.andWhere('u.created_at >= :from', { from: q.createdFrom });
  if (q.createdTo) qb.andWhere('u.created_at <= :to', { to: q.createdTo });
  const order: Order = { column: q.order, dir: q.dir === 'asc' ? 'ASC' : 'DESC' };

  const filtered =
    q.email ||
    q.id ||
    q.username ||
    q.firstName ||
    q.lastName ||
    q.tags?.length ||
    q.metadata ||
    q.createdFrom ||
    q.createdTo;
  if (filtered) {
    if (q.onlyTotal) return { total: await qb.getCount(), offset: q.offset, limit: q.limit, items: [] };
    return matchesPage(repo, qb, order, q.offset, q.limit, fromRow);
  }

  // Filtered by status and role at most: the total is the sum of the trigger-kept counters
  // (migration 1763950000000) instead of a count of up to every row, and the page comes straight
  // off the index in sort order (users_status_created for the default order).
  const where = [
    ...(status !== undefined ? ['c.status = :status'] : []),
    ...(role !== undefined ? ['c.role = :role'] : []),
  ];
  const totalSql = `(select coalesce(sum(c.n), 0) from user_counts c${where.length ? ` where ${where.join(' and ')}` : ''})`;
  const countAlone = async () => {
    const row = await repo.manager
      .createQueryBuilder()
      .fromDummy()
      .select(totalSql, 'total')
      .setParameters({ status, role })
      .getRawOne<{ total: string }>();
    return Number(row?.total ?? 0);
  };
  if (q.onlyTotal) return { total: await countAlone(), offset: q.offset, limit: q.limit, items: [] };
  const { entities, raw } = await qb
    .addSelect(totalSql, 'total')
    .orderBy(`u.${order.column}`, order.dir, nullsOf(order))
    .addOrderBy('u.id', order.dir)
    .offset(q.offset)
    .limit(q.limit)
    .getRawAndEntities<{ total: string }>();
  const total = await withTotal(raw, q.offset, countAlone);
  return { total, offset: q.offset, limit: q.limit, items: entities.map(fromRow) };
}

export async function searchUsers(
  repo: Repository<UserRow>,
  q: SearchQuery,
  statuses: number[],
  fromRow: (r: UserRow) => User,
): Promise<Page<User>> {
  const qb = repo.createQueryBuilder('u').where('u.status in (:...statuses)', { statuses });
  if (q.id)
    qb.andWhere(`u.id::text like :idPart escape '\\'`, { idPart: `%${escapeLike(q.id.toLowerCase())}%` });
  textFilters(qb, q);
  const order: Order = { column: q.order ?? 'username', dir: q.dir === 'desc' ? 'DESC' : 'ASC' };
  return matchesPage(repo, qb, order, q.offset, q.limit, fromRow);
}
