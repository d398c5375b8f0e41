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
export const DATA_MODEL_VERSION = 2;

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
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
export type Rand = () => number;
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
export function fragment(value: string, r: Rand): string {
  const len = 4 + Math.floor(r() * 5);
  if (value.length <= len) return value;
  const at = r() < 0.5 ? 0 : Math.floor(r() * (value.length - len + 1));
  return value.slice(at, at + len);
}
