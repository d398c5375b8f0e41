import path from 'path';
import os from 'os';
import { randomUUID } from 'crypto';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { loadUsersConfig } from '@usher/config';
import { ensureDatabase, ensurePostgres } from '@usher/devstack';
import { fmt, percentile, table, timeEach } from './stats';

// The users service's own repository, from its build: the benchmark times the queries the API runs.
const usersDist = path.join(path.dirname(require.resolve('@usher/users/package.json')), 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const users = (p: string) => require(path.join(usersDist, p));

const SYLLABLES = [
  'an',
  'bel',
  'cor',
  'da',
  'el',
  'fen',
  'gar',
  'hol',
  'is',
  'jo',
  'kar',
  'lin',
  'mar',
  'nor',
  'ol',
  'per',
  'quin',
  'ros',
  'sel',
  'tor',
  'ul',
  'val',
  'wen',
  'xi',
  'yor',
  'zan',
];
const TAGS = ['red', 'green', 'blue', 'ops', 'dev', 'sales', 'eu', 'us', 'beta', 'vip'];

/** Deterministic pseudo-random numbers, so every run seeds the same users. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const word = (r: () => number, n: number) => {
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w;
};
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function* rows(count: number): Generator<string> {
  const r = rng(42);
  const start = Date.now() - 3 * 365 * 24 * 3600_000;
  for (let i = 0; i < count; i++) {
    const first = cap(word(r, 2));
    const last = cap(word(r, 3));
    const tags = TAGS.filter(() => r() < 0.15);
    const created = new Date(start + r() * 3 * 365 * 24 * 3600_000).toISOString();
    yield (
      [
        randomUUID(),
        first,
        last,
        `${first}.${last}.${i}@example.com`.toLowerCase(),
        `${first}_${last}_${i}`.toLowerCase(),
        r() < 0.01 ? 2 : r() < 0.1 ? 1 : 0,
        r() < 0.05 ? 1 : 0,
        `{${tags.join(',')}}`,
        JSON.stringify({ team: TAGS[i % TAGS.length], n: i % 100 }),
        '',
        created,
      ].join('\t') + '\n'
    );
  }
}

export interface SearchBenchOptions {
  users: number;
  iterations: number;
  say: (line: string) => void;
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
  const dbName = `usher_bench_search_${opts.users}`;
  await ensureDatabase(pg.url, dbName);
  const url = new URL(pg.url);
  url.pathname = `/${dbName}`;
  const config = loadUsersConfig({ USHER_DB_URL: url.toString() });
  const dataSource = await users('postgres/data-source.js').openDatabase(config.db);
  const tx = new (users('postgres/tx.js').Transactor)(dataSource);
  const repo = new (users('postgres/user-repository.js').PostgresUsersRepository)(tx);

  const client = new Client({ connectionString: url.toString(), options: '-c search_path=users,public' });
  await client.connect();
  try {
    const existing = Number((await client.query('select count(*) from users')).rows[0].count);
    if (existing < opts.users) {
      opts.say(`seeding ${opts.users - existing} users with COPY...`);
      const t = Date.now();
      const copy = client.query(
        copyFrom(
          `copy users (id, first_name, last_name, email, username, role, status, tags, metadata, picture, created_at) from stdin`,
        ),
      );
      await pipeline(Readable.from(rows(opts.users - existing)), copy);
      await client.query('analyze users');
      opts.say(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const sample = (
      await client.query(
        'select id, email, username, first_name, last_name from users tablesample system (1) limit 500',
      )
    ).rows;
    const pick = (i: number) => sample[i % sample.length]!;
    const frag = (s: string, i: number) => s.slice(i % 3, (i % 3) + 6);

    const listBase = {
      offset: 0,
      limit: 10,
      status: 'enabled',
      order: 'created_at',
      dir: 'desc',
      onlyTotal: false,
    };
    const cases: [string, (i: number) => Promise<unknown>][] = [
      ['primary-key lookup (baseline)', (i) => repo.findById(pick(i).id)],
      ['list: first page', () => repo.list(listBase)],
      ['list: email fragment', (i) => repo.list({ ...listBase, email: frag(pick(i).email, i) })],
      [
        'search: email fragment',
        (i) => repo.search({ offset: 0, limit: 10, email: frag(pick(i).email, i) }, ['enabled']),
      ],
      [
        'search: username fragment',
        (i) => repo.search({ offset: 0, limit: 10, username: frag(pick(i).username, i) }, ['enabled']),
      ],
      [
        'search: last name fragment',
        (i) => repo.search({ offset: 0, limit: 10, lastName: frag(pick(i).last_name, i) }, ['enabled']),
      ],
      [
        'search: first name fragment',
        (i) => repo.search({ offset: 0, limit: 10, firstName: frag(pick(i).first_name, i) }, ['enabled']),
      ],
    ];
    const results: { name: string; p50: number; p95: number }[] = [];
    for (const [name, fn] of cases) {
      const samples = await timeEach(opts.iterations, fn);
      results.push({ name, p50: percentile(samples, 50), p95: percentile(samples, 95) });
    }
    const plan = (
      await client.query(`explain select * from users where status = 0 and lower(email) like $1 limit 10`, [
        `%${frag(pick(1).email, 1)}%`,
      ])
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    const base = results[0]!.p95;
    opts.say(
      table(
        ['query', 'p50 ms', 'p95 ms', 'p95 / pk p95'],
        results.map((r) => [r.name, fmt(r.p50), fmt(r.p95), (r.p95 / base).toFixed(1) + 'x']),
      ),
    );
    opts.say(`plan of an email-fragment search:\n${plan}`);
    return { users: opts.users, iterations: opts.iterations, results, plan };
  } finally {
    await client.end();
    await dataSource.destroy();
    await pg.stop?.();
  }
}
