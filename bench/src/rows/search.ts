import type { BenchContext } from '../context';
import { met, type Row } from '../report';
import { fmt, fmtRatio, ratio } from '../stats';
import { usersSearch } from '../users-search';

/** Issue 5's search benchmark (its own table), summed up as one row: the slowest fragment search. */
export async function search(ctx: BenchContext): Promise<Row[]> {
  const quick = ctx.settings.quick;
  const res = await usersSearch({
    users: quick ? 20_000 : 1_000_000,
    iterations: quick ? 50 : 300,
    say: ctx.say,
  });
  const pk = res.results[0]!;
  const searches = res.results.filter((r) => r.name.startsWith('search:'));
  const worst = searches.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  const r = ratio(worst.p95, pk.p95);
  return [
    {
      name: 'users-search',
      measured: `${worst.name} p95 ${fmt(worst.p95)} ms (slowest of ${searches.length})`,
      baseline: `primary key p95 ${fmt(pk.p95)} ms`,
      ratio: fmtRatio(r),
      target: 'p95 <= 5x',
      met: met(Number.isFinite(r) ? r <= 5 : undefined),
      note: `${res.users.toLocaleString('en')} users, ${res.iterations} iterations per query`,
      details: res as unknown as Record<string, unknown>,
    },
  ];
}
