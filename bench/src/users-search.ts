import path from 'path';
import os from 'os';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { loadUsersConfig } from '@usher/config';
import { ensureDatabase, ensurePostgres } from '@usher/devstack';
import { fmt, percentile, table } from './stats';

// The users service's own repository, from its build: the benchmark times the queries the API runs.
const usersDist = path.join(path.dirname(require.resolve('@usher/users/package.json')), 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const users = (p: string) => require(path.join(usersDist, p));

/**
 * Seeded data model, version 2 (the database name carries the version: a change here must bump it
 * so that the next run re-seeds). Names and addresses have the spread of a real user base, not a
 * toy vocabulary whose every trigram is in a third of the rows. Measured on the 1M seed:
 * - first names: 6,000 distinct (real common ones among generated ones), drawn with a
 *   Zipf–Mandelbrot law 1/(rank+10): the most common is 1.4% of users, the top 100 36%;
 * - last names: a pool of 60,000 (~58,000 drawn), law 1/(rank+20): the most common 0.6%, the top
 *   1,000 48%; 2% of users have no names at all;
 * - emails: first.last, flast, firstlast, first_last, first.l, last.first, first+digits or a
 *   nickname, at one of 24 free mail providers (55%, gmail-heavy) or one of 20,000 company domains
 *   (Zipf); a number only when the address is taken or the shape has one (26% of local parts);
 * - usernames: the same kinds of shapes, drawn independently; unique (36% hold a digit);
 * - 5% disabled, 0.5% deleted (awaiting purge); 9% editors, 1% admins, one owner;
 * - created over the last three years; a few tags; small metadata.
 * Search fragments: 4–8 characters (uniformly) of one sampled user's field — for emails, of the
 * local part — taken from the start of the value half of the time, from anywhere otherwise.
 */
const DATA_MODEL_VERSION = 2;

const REAL_FIRST = (
  'james mary maria john anna michael linda david sarah robert elena daniel laura thomas sofia jose ' +
  'emma carlos olivia peter julia luca marie paul hannah mohammed fatima ahmed aisha wei yuki ' +
  'hiroshi priya rahul ana juan marco giulia pierre claire lucas chloe noah mia liam ava ethan ' +
  'isabella oliver charlotte ivan olga dmitri natalia jan eva lars ingrid sven astrid kevin jessica ' +
  'brian ashley mark emily steven karen andrew nancy marina mario martin martina christian ' +
  'christina alexander alexandra nikola milan'
).split(' ');
const REAL_LAST = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez ' +
  'gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris ' +
  'sanchez clark ramirez lewis robinson mueller schmidt schneider fischer weber meyer wagner becker ' +
  'rossi russo ferrari esposito bianchi romano dubois durand leroy moreau laurent simon nowak ' +
  'kowalski ivanov petrov smirnov kuznetsov novak horvat jovanovic petrovic nguyen tran wang zhang ' +
  'chen yang huang zhao kim park sato suzuki takahashi tanaka singh kumar sharma patel silva santos ' +
  'oliveira souza pereira costa jensen nielsen hansen andersen larsen berg'
).split(' ');
// Generated names: syllables of an onset (a cluster one time in five), a vowel (rarely two) and a
// coda (mostly none), then an ending; they read like names from no language in particular.
// prettier-ignore
const ONSETS = ['', 'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'y', 'z'];
const CLUSTERS = 'bl br ch cl cr dr fl fr gr kr ph pr qu sh st th tr'.split(' ');
const VOWELS = 'a e i o u a e i o y'.split(' ');
const DIPHTHONGS = 'ai au ea ei ia ie io oa ou'.split(' ');
const CODAS = 'b d k l ll m n nd ng nn nt r rd rt s ss st t th x z'.split(' ');
// prettier-ignore
const FIRST_ENDINGS = ['', '', '', '', 'a', 'a', 'o', 'e', 'ie', 'y', 'an', 'en', 'in', 'el', 'is', 'us', 'ia', 'ina', 'on', 'ah'];
// prettier-ignore
const LAST_ENDINGS = ['', '', '', '', '', '', 'son', 'sen', 'ez', 'es', 'ski', 'ov', 'ova', 'er', 'man', 'ton', 'berg', 'ley', 'ford', 'ini', 'escu', 'ian', 'is', 'ides', 'stein', 'ard', 'well', 'by', 'oglu', 'vic', 'aki', 'moto', 'eau', 'elli', 'quist', 'ing', 'ow'];
// domain:weight
const FREE_MAIL = (
  'gmail.com:40 yahoo.com:9 outlook.com:8 hotmail.com:7 icloud.com:5 proton.me:2 gmx.de:2 web.de:2 ' +
  'mail.ru:2 yandex.ru:2 aol.com:2 live.com:2 qq.com:2 163.com:2 orange.fr:1 free.fr:1 libero.it:1 ' +
  'btinternet.com:1 seznam.cz:1 wp.pl:1 naver.com:1 uol.com.br:1 fastmail.com:1 zoho.com:1'
)
  .split(' ')
  .map((d) => d.split(':'))
  .map(([d, w]): [string, number] => [d!, Number(w)]);
const TLDS = 'com com com io net org co de fr co.uk com.br nl es it ca com.au in se ch pl'.split(' ');
const TAGS = ['red', 'green', 'blue', 'ops', 'dev', 'sales', 'eu', 'us', 'beta', 'vip'];

/** Deterministic pseudo-random numbers, so every run seeds the same users. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
type Rand = () => number;
const pickOf = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** A version 4 UUID drawn from `r`. */
function uuid(r: Rand): string {
  const h = [0, 1, 2, 3]
    .map(() =>
      Math.floor(r() * 2 ** 32)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(r() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`;
}
const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Draws indexes 0..n-1 with weight 1/(rank + q) (Zipf–Mandelbrot, exponent 1). */
function zipf(n: number, q: number): (r: Rand) => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cumulative[k] = sum += 1 / (k + 1 + q);
  return (r) => {
    const x = r() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Weighted choice from [value, weight] pairs. */
function weighted<T>(items: [T, number][]): (r: Rand) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  return (r) => {
    let x = r() * total;
    for (const [v, w] of items) if ((x -= w) < 0) return v;
    return items[items.length - 1]![0];
  };
}

const syllable = (r: Rand, coda = true) =>
  (r() < 0.2 ? pickOf(r, CLUSTERS) : pickOf(r, ONSETS)) +
  (r() < 0.1 ? pickOf(r, DIPHTHONGS) : pickOf(r, VOWELS)) +
  (coda && r() < 0.45 ? pickOf(r, CODAS) : '');

/** `size` distinct names: the real ones spread over the top ranks, generated ones elsewhere. */
function namePool(r: Rand, size: number, real: string[], make: (r: Rand) => string): string[] {
  const seen = new Set<string>(real);
  const generated: string[] = [];
  while (generated.length < size - real.length) {
    const n = make(r);
    if (n.length >= 3 && n.length <= 12 && !seen.has(n)) {
      seen.add(n);
      generated.push(n);
    }
  }
  // Every third of the first 3·|real| ranks is a real name.
  const pool: string[] = [];
  for (let k = 0, g = 0; pool.length < size; k++)
    pool.push(k % 3 === 0 && k / 3 < real.length ? real[k / 3]! : generated[g++]!);
  return pool;
}

function model() {
  const r = rng(7);
  const firstNames = namePool(r, 6000, REAL_FIRST, (r) => {
    const n = r() < 0.7 ? 2 : r() < 0.5 ? 3 : 1;
    let s = '';
    for (let i = 0; i < n; i++) s += syllable(r, i === n - 1 || r() < 0.2);
    return s + pickOf(r, FIRST_ENDINGS);
  });
  const lastNames = namePool(r, 60000, REAL_LAST, (r) => {
    const n = r() < 0.6 ? 2 : r() < 0.6 ? 3 : 1;
    let s = '';
    for (let i = 0; i < n; i++) s += syllable(r, i === n - 1 || r() < 0.3);
    return s + pickOf(r, LAST_ENDINGS);
  });
  const companies = new Set<string>();
  while (companies.size < 20000) {
    const base =
      syllable(r) +
      (r() < 0.7 ? syllable(r, r() < 0.5) : '') +
      (r() < 0.15 ? pickOf(r, ['tech', 'labs', 'soft', 'data', 'group', 'systems']) : '');
    if (base.length >= 3) companies.add(`${base}.${pickOf(r, TLDS)}`);
  }
  const [first, last, company] = [
    zipf(firstNames.length, 10),
    zipf(lastNames.length, 20),
    zipf(companies.size, 5),
  ];
  const domains = [...companies];
  return {
    first: (r: Rand) => firstNames[first(r)]!,
    last: (r: Rand) => lastNames[last(r)]!,
    company: (r: Rand) => domains[company(r)]!,
    freeMail: weighted(FREE_MAIL),
  };
}

const digits = (r: Rand) =>
  r() < 0.4 ? String(1950 + Math.floor(r() * 56)) : String(Math.floor(r() * (r() < 0.5 ? 100 : 10000)));

/** An identity (email local part or username) in one of the usual shapes. */
function handle(r: Rand, first: string, last: string, sep: string): string {
  const f = first || syllable(r) + syllable(r, false);
  const l = last || syllable(r) + syllable(r);
  const x = r();
  if (x < 0.3) return `${f}${sep}${l}`;
  if (x < 0.45) return `${f[0]}${l}`;
  if (x < 0.55) return `${f}${l}`;
  if (x < 0.6) return `${f}${sep}${l[0]}`;
  if (x < 0.65) return `${l}${sep}${f}`;
  if (x < 0.78) return `${f}${digits(r)}`;
  // A nickname, unrelated to the name.
  return syllable(r) + syllable(r, r() < 0.5) + (r() < 0.5 ? digits(r) : '');
}

/** Makes `base` unique in `taken`: as is when free, else with a number appended. */
function unique(r: Rand, taken: Set<string>, base: string, suffix = ''): string {
  let v = base + suffix;
  for (let n = 0; taken.has(v); n++)
    v = `${base}${n < 3 ? Math.floor(r() * 100) : n < 6 ? Math.floor(r() * 10000) : n}${suffix}`;
  taken.add(v);
  return v;
}

export function* rows(count: number): Generator<string> {
  const m = model();
  const r = rng(42);
  const ids = rng(4242);
  const emails = new Set<string>();
  const usernames = new Set<string>();
  const start = Date.now() - 3 * 365 * 24 * 3600_000;
  for (let i = 0; i < count; i++) {
    const named = r() >= 0.02;
    const first = named ? m.first(r) : '';
    const last = named ? m.last(r) : '';
    const domain = r() < 0.55 ? m.freeMail(r) : m.company(r);
    const email = unique(
      r,
      emails,
      handle(r, first, last, pickOf(r, ['.', '.', '.', '_', '-'])),
      `@${domain}`,
    );
    const username = unique(r, usernames, handle(r, first, last, pickOf(r, ['_', '_', '.', '-', ''])));
    const tags = TAGS.filter(() => r() < 0.15);
    const createdMs = start + r() * 3 * 365 * 24 * 3600_000;
    const s = r();
    const status = s < 0.005 ? 2 : s < 0.055 ? 1 : 0;
    const role = i === 0 ? 3 : r() < 0.01 ? 2 : r() < 0.09 ? 1 : 0;
    const deletedAt =
      status === 2 ? new Date(createdMs + r() * (Date.now() - createdMs)).toISOString() : '\\N';
    yield (
      [
        uuid(ids),
        cap(first),
        cap(last),
        email,
        username,
        role,
        status,
        `{${tags.join(',')}}`,
        JSON.stringify({ team: TAGS[i % TAGS.length], n: i % 100 }),
        '',
        new Date(createdMs).toISOString(),
        deletedAt,
      ].join('\t') + '\n'
    );
  }
}

/** 4–8 characters of a user's field, as a person types them: from its start half of the time. */
function fragment(value: string, r: Rand): string {
  const len = 4 + Math.floor(r() * 5);
  if (value.length <= len) return value;
  const at = r() < 0.5 ? 0 : Math.floor(r() * (value.length - len + 1));
  return value.slice(at, at + len);
}

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
