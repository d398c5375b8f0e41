import path from 'path';
import os from 'os';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { loadUsersConfig } from '@usher/config';
import { ensureDatabase, ensurePostgres } from '@usher/devstack';
import { fmt, percentile, table } from './stats';
import { DATA_MODEL_VERSION, fragment, rng, rows } from './users-search-data';

export { rows } from './users-search-data';

// The users service's own repository, from its build: the benchmark times the queries the API runs.
const usersDist = path.join(path.dirname(require.resolve('@usher/users/package.json')), 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const users = (p: string) => require(path.join(usersDist, p));

export interface SearchBenchOptions {
  users: number;
  iterations: number;
  say: (line: string) => void;
}

interface Sampled {
  id: string;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
}

/** Seeds `users` accounts (once; kept between runs) and times list/search against a primary-key lookup. */
export async function usersSearch(opts: SearchBenchOptions) {
  const wanted =
    process.env.USHER_BENCH_DB_URL ||
    process.env.USHER_TEST_DB_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres';
  const pg = await ensurePostgres({
    url: wanted,
    dataDir: path.join(os.tmpdir(), 'usher-bench-pg'),
    port: 54777,
    persistent: true,
  });
  const dbName = `usher_bench_search_v${DATA_MODEL_VERSION}_${opts.users}`;
  await ensureDatabase(pg.url, dbName);
  const url = new URL(pg.url);
  url.pathname = `/${dbName}`;
  const config = loadUsersConfig({ USHER_DB_URL: url.toString() });
  const dataSource = await users('postgres/data-source.js').openDatabase(config.db);
  const tx = new (users('postgres/tx.js').Transactor)(dataSource);
  const repo = new (users('postgres/user-repository.js').PostgresUsersRepository)(tx);

  // Every statement the repository sends, to EXPLAIN the real ones afterwards.
  const sent: { sql: string; params: unknown[] }[] = [];
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args: unknown[]) => {
    const runner = createQueryRunner(...args);
    const query = runner.query.bind(runner);
    runner.query = (sql: string, params?: unknown[], ...rest: unknown[]) => {
      if (sent.length < 100) sent.push({ sql, params: params ?? [] });
      return query(sql, params, ...rest);
    };
    return runner;
  };

  const client = new Client({ connectionString: url.toString(), options: '-c search_path=users,public' });
  await client.connect();
  try {
    opts.say(
      `data model v${DATA_MODEL_VERSION}: 6,000 first names (Zipf, top 1.4%, top 100 36%), ~58,000 last names ` +
        `(Zipf, top 0.6%), emails at 24 free providers (55%) or 20,000 company domains in the usual ` +
        `shapes, a number only when taken or part of the shape; 5% disabled, 0.5% deleted. Fragments: ` +
        `4–8 characters of one user's field (email: its local part), from its start half of the time`,
    );
    const existing = Number((await client.query('select count(*) from users')).rows[0].count);
    if (existing !== opts.users) {
      if (existing > 0) await client.query('truncate users cascade');
      opts.say(`seeding ${opts.users} users with COPY...`);
      const t = Date.now();
      // Bulk load: the secondary indexes are dropped and built again afterwards, exactly as defined.
      const indexes = (
        await client.query(
          `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
             from pg_index i left join pg_constraint c on c.conindid = i.indexrelid
            where i.indrelid = 'users'::regclass and c.oid is null`,
        )
      ).rows as { name: string; def: string }[];
      for (const i of indexes) await client.query(`drop index ${i.name}`);
      const copy = client.query(
        copyFrom(
          `copy users (id, first_name, last_name, email, username, role, status, tags, metadata, picture, created_at, deleted_at) from stdin`,
        ),
      );
      await pipeline(Readable.from(rows(opts.users)), copy);
      opts.say(`copied in ${((Date.now() - t) / 1000).toFixed(1)} s; building ${indexes.length} indexes...`);
      await client.query(`set maintenance_work_mem = '256MB'`);
      for (const i of indexes) await client.query(i.def);
      await client.query('reset maintenance_work_mem');
      // As autovacuum leaves a table in service: visibility map set, statistics current.
      await client.query('vacuum (analyze) users');
      opts.say(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const sample = (
      await client.query(
        `select id, email, username, first_name, last_name from users tablesample bernoulli (0.1) repeatable (42) order by id limit 500`,
      )
    ).rows as Sampled[];
    const pick = (i: number) => sample[i % sample.length]!;
    // The fragment for iteration i of a case: the same in every run.
    const frag = (i: number, field: keyof Sampled, salt: number) => {
      for (let k = 0; ; k++) {
        const u = pick(i + k);
        const value = (field === 'email' ? u.email.split('@')[0]! : u[field]).toLowerCase();
        if (value) return fragment(value, rng(i * 7919 + salt * 104729 + k));
      }
    };

    const listBase = {
      offset: 0,
      limit: 10,
      status: 'enabled',
      order: 'created_at',
      dir: 'desc',
      onlyTotal: false,
    };
    const search = (q: Record<string, string>) => repo.search({ offset: 0, limit: 10, ...q }, ['enabled']);
    interface Case {
      name: string;
      run: (i: number) => Promise<unknown>;
      /** The fragment searched in iteration i, for fragment cases. */
      fragment?: (i: number) => string;
    }
    const fragmentCase = (
      name: string,
      field: keyof Sampled,
      salt: number,
      run: (f: string) => Promise<unknown>,
    ) => {
      const fragment = (i: number) => frag(i, field, salt);
      return { name, fragment, run: (i: number) => run(fragment(i)) };
    };
    const cases: Case[] = [
      { name: 'primary-key lookup (baseline)', run: (i) => repo.findById(pick(i).id) },
      { name: 'list: first page', run: () => repo.list(listBase) },
      { name: 'list: first page, role editor', run: () => repo.list({ ...listBase, role: 'editor' }) },
      {
        name: 'list: all statuses by email',
        run: () => repo.list({ ...listBase, status: 'all', order: 'email', dir: 'asc' }),
      },
      fragmentCase('list: email fragment', 'email', 1, (email) => repo.list({ ...listBase, email })),
      fragmentCase('search: email fragment', 'email', 2, (email) => search({ email })),
      fragmentCase('search: username fragment', 'username', 3, (username) => search({ username })),
      fragmentCase('search: last name fragment', 'last_name', 4, (lastName) => search({ lastName })),
      fragmentCase('search: first name fragment', 'first_name', 5, (firstName) => search({ firstName })),
    ];
    // Interleaved: round i runs every case once, so the baseline and the rest share whatever else
    // the machine is doing meanwhile. Warm-up rounds use iterations of their own, not the timed ones.
    const warmup = Math.min(20, opts.iterations);
    const times = cases.map(() => [] as number[]);
    const totals = cases.map(() => [] as number[]);
    for (let round = -warmup; round < opts.iterations; round++) {
      const i = round < 0 ? opts.iterations - round : round;
      for (const [c, { run, fragment }] of cases.entries()) {
        const t = process.hrtime.bigint();
        const out = await run(i);
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (round < 0) continue;
        times[c]!.push(ms);
        if (fragment) totals[c]!.push((out as { total: number }).total);
      }
    }
    const results = cases.map(({ name, fragment }, c) => {
      const p95 = percentile(times[c]!, 95);
      const at = times[c]!.indexOf(p95);
      return {
        name,
        p50: percentile(times[c]!, 50),
        p95,
        ...(fragment
          ? {
              matches: {
                p50: percentile(totals[c]!, 50),
                p95: percentile(totals[c]!, 95),
                max: Math.max(...totals[c]!),
              },
              // The iteration whose time is the p95: its plan is the one worth reading.
              p95Sample: { fragment: fragment(at), total: totals[c]![at]! },
            }
          : {}),
      };
    });
    const base = results[0]!.p95;
    opts.say(
      table(
        ['query', 'p50 ms', 'p95 ms', 'p95 / pk p95', 'matches p50 / p95 / max'],
        results.map((r) => [
          r.name,
          fmt(r.p50),
          fmt(r.p95),
          (r.p95 / base).toFixed(1) + 'x',
          r.matches ? `${r.matches.p50} / ${r.matches.p95} / ${r.matches.max}` : '',
        ]),
      ),
    );

    // The statements the repository sends, explained: a list page, and the searches whose time
    // was the p95 of the first-name and email cases.
    const explain = async (label: string, run: () => Promise<unknown>) => {
      sent.length = 0;
      await run();
      const out: string[] = [];
      for (const s of sent.filter((s) => /^\s*(select|with)/i.test(s.sql))) {
        const plan = (await client.query(`explain (analyze, buffers) ${s.sql}`, s.params)).rows;
        out.push(`${s.sql}\n-- ${JSON.stringify(s.params)}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
      return `${label}:\n${out.join('\n\n')}`;
    };
    const plans = [await explain('list: first page', () => repo.list(listBase))];
    for (const name of ['search: first name fragment', 'search: email fragment']) {
      const c = cases.findIndex((x) => x.name === name);
      const { fragment, total } = results[c]!.p95Sample!;
      const field = name === 'search: email fragment' ? 'email' : 'firstName';
      plans.push(
        await explain(`${name} at its p95: "${fragment}" (${total} matches)`, () =>
          search({ [field]: fragment }),
        ),
      );
    }
    for (const p of plans) opts.say(p);
    return { users: opts.users, dataModel: DATA_MODEL_VERSION, iterations: opts.iterations, results, plans };
  } finally {
    await client.end();
    await dataSource.destroy();
    await pg.stop?.();
  }
}
