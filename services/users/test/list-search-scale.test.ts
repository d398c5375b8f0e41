import crypto from 'crypto';
import type { DataSource } from 'typeorm';
import { loadUsersConfig } from '@usher/config';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import { openDatabase } from '../src/postgres/data-source';
import { Transactor } from '../src/postgres/tx';
import { PostgresUsersRepository } from '../src/postgres/user-repository';
import type { ListQuery, User } from '../src/service';

// The list/search queries of migration 1763950000000 and user-queries.ts against real PostgreSQL:
// the trigger-kept counters stay exact through every kind of write, and every total, page and
// order agrees with a plain count(*) / ORDER BY over the same rows.
describe('list and search at scale: counters, totals, pages', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: PostgresUsersRepository;

  const base: ListQuery = {
    offset: 0,
    limit: 10,
    status: 'enabled',
    order: 'created_at',
    dir: 'desc',
    onlyTotal: false,
  };
  const STATUSES = ['enabled', 'disabled', 'deleted', 'all'] as const;
  const ROLES = [undefined, 'viewer', 'editor', 'admin', 'owner'] as const;

  /** Inserts n users in one statement; names and times repeat so that ties need the id order. */
  async function insertUsers(n: number, prefix: string) {
    await ds.query(
      `insert into users (id, first_name, last_name, email, username, role, status, created_at, updated_at)
       select gen_random_uuid(), (array['Ann', 'Bob', 'Anna', ''])[1 + i % 4], 'Last' || (i % 7),
              $1 || i || '@example.com', $1 || '_' || i, i % 4, (i / 4) % 3,
              timestamptz '2025-01-01' + (i % 5) * interval '1 day',
              case when i % 3 = 0 then null else timestamptz '2025-02-01' + (i % 6) * interval '1 hour' end
         from generate_series(1, $2) i`,
      [prefix, n],
    );
  }

  async function expectCountersExact() {
    const counted = await ds.query(
      `select status, role, count(*)::int as n from users group by 1, 2 having count(*) > 0 order by 1, 2`,
    );
    const kept = await ds.query(`select status, role, n::int from user_counts where n <> 0 order by 1, 2`);
    expect(kept).toEqual(counted);
    expect(await ds.query(`select * from user_counts where n < 0`)).toEqual([]);
  }

  const countWhere = async (where: string, params: unknown[] = []) =>
    Number((await ds.query(`select count(*) from users where ${where}`, params))[0].count);

  beforeAll(async () => {
    db = await createTestDatabase('users_scale');
    ds = await openDatabase(loadUsersConfig({ USHER_DB_URL: db.url }).db, 4);
    repo = new PostgresUsersRepository(new Transactor(ds));
    await insertUsers(150, 'a');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('keeps the counters exact through inserts, status and role changes, deletes and truncate', async () => {
    await expectCountersExact();
    await insertUsers(1, 'single');
    await ds.query(`update users set role = 2 where username = 'single_1'`);
    await ds.query(`update users set status = 1, role = 3 where username like 'a\\_1%'`); // many rows, both columns
    await ds.query(`update users set first_name = 'Renamed' where username like 'a\\_2%'`); // neither column
    await ds.query(`update users set status = status where username like 'a\\_3%'`); // same values
    await expectCountersExact();
    const ids = (await ds.query(`select id from users where username like 'a\\_4%'`)).map(
      (r: { id: string }) => r.id,
    );
    expect(await repo.hardDelete(ids)).toBe(ids.length);
    await expectCountersExact();
    // A rolled-back change leaves no trace.
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`update users set status = 2`);
    await runner.query(`delete from users where role = 0`);
    await runner.rollbackTransaction();
    await runner.release();
    await expectCountersExact();
    await ds.query(`truncate users cascade`);
    expect(await ds.query(`select * from user_counts where n <> 0`)).toEqual([]);
    await insertUsers(150, 'a');
    await expectCountersExact();
  });

  it('lists with the exact total for every status and role, off the counters', async () => {
    for (const status of STATUSES)
      for (const role of ROLES) {
        const where = [
          ...(status === 'all' ? [] : [`status = ${['enabled', 'disabled', 'deleted'].indexOf(status)}`]),
          ...(role ? [`role = ${['viewer', 'editor', 'admin', 'owner'].indexOf(role)}`] : []),
        ];
        const expected = await countWhere(where.join(' and ') || 'true');
        const q = { ...base, status, ...(role ? { role } : {}) } as ListQuery;
        expect((await repo.list(q)).total).toBe(expected);
        expect(await repo.list({ ...q, onlyTotal: true })).toMatchObject({ total: expected, items: [] });
        // Past the last page: no row to carry the total, which is still exact.
        expect(await repo.list({ ...q, offset: 1000 })).toMatchObject({ total: expected, items: [] });
      }
  });

  it('pages in the requested order, ties broken by id, NULLs last both ways', async () => {
    const orders = ['created_at', 'updated_at', 'email', 'username', 'first_name', 'last_name'] as const;
    expect(await countWhere('updated_at is null')).toBeGreaterThan(0);
    for (const order of orders)
      for (const dir of ['asc', 'desc'] as const)
        for (const filter of [{}, { firstName: 'an' }]) {
          const q: ListQuery = { ...base, status: 'all', order, dir, limit: 7, ...filter };
          const pages: User[] = [];
          for (let offset = 0; ; offset += 7) {
            const page = await repo.list({ ...q, offset });
            pages.push(...page.items);
            if (page.items.length < 7) break;
          }
          const rows: { id: string }[] = await ds.query(
            `select id from users ${'firstName' in filter ? `where lower(first_name) like '%an%'` : ''}
              order by ${order} ${dir} nulls last, id ${dir}`,
          );
          expect(pages.map((u) => u.id)).toEqual(rows.map((r) => r.id));
        }
  });

  it('counts filtered lists and searches with their filter, in the same statement as the page', async () => {
    const admins = await countWhere(`status = 0 and lower(first_name) like '%an%' and role = 2`);
    const listed = await repo.list({ ...base, firstName: 'AN', role: 'admin', limit: 3 });
    expect(listed.total).toBe(admins);
    expect(listed.items.length).toBe(Math.min(3, admins));
    expect(listed.items.every((u) => u.role === 'admin' && u.status === 'enabled')).toBe(true);
    expect(await repo.list({ ...base, firstName: 'an', role: 'admin', offset: 500 })).toMatchObject({
      total: admins,
      items: [],
    });
    expect((await repo.list({ ...base, firstName: 'an', role: 'admin', onlyTotal: true })).total).toBe(
      admins,
    );

    const found = await repo.search({ offset: 2, limit: 4, lastName: 'ast3' }, ['enabled', 'disabled']);
    const expected: { id: string }[] = await ds.query(
      `select id from users where status in (0, 1) and lower(last_name) like '%ast3%' order by username, id`,
    );
    expect(found.total).toBe(expected.length);
    expect(found.items.map((u) => u.id)).toEqual(expected.slice(2, 6).map((r) => r.id));
    expect(await repo.search({ offset: 999, limit: 4, lastName: 'ast3' }, ['enabled'])).toMatchObject({
      total: await countWhere(`status = 0 and lower(last_name) like '%ast3%'`),
      items: [],
    });
    expect(await repo.search({ offset: 0, limit: 4, email: 'no-such-fragment' }, ['enabled'])).toEqual({
      total: 0,
      offset: 0,
      limit: 4,
      items: [],
    });
    // LIKE metacharacters match themselves.
    expect((await repo.search({ offset: 0, limit: 4, email: '%' }, ['enabled'])).total).toBe(0);
    const id = expected[0]!.id;
    expect((await repo.search({ offset: 0, limit: 4, id }, ['enabled', 'disabled'])).items[0]!.id).toBe(id);
  });

  it('keeps counting while users are created concurrently', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ds.query(`insert into users (id, email, username, role, status) values ($1, $2, $3, $4, $5)`, [
          crypto.randomUUID(),
          `c${i}@example.com`,
          `c_${i}`,
          i % 2,
          i % 3 === 0 ? 1 : 0,
        ]),
      ),
    );
    await expectCountersExact();
  });
});
