import type { BenchContext } from '../context';
import { met, type Row } from '../report';
import { loginLoad } from './password';

const LIMIT_MB = 150;

/** RSS (VmRSS) of each service process idle, after the login run, and now. */
export async function memory(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  if (!ctx.shared.rssAfterLogin) {
    ctx.say('no login run yet in this invocation: running one');
    await loginLoad(ctx);
  }
  const idle = stack.idleRss;
  const after = ctx.shared.rssAfterLogin!;
  const now = stack.rss();
  const services = Object.keys(idle);
  const mb = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '?' : v.toFixed(0));
  const measured = services.map((s) => `${s} ${mb(idle[s])} / ${mb(after[s])} MB`).join(', ');
  const worst = Math.max(...services.map((s) => Math.max(idle[s] ?? NaN, after[s] ?? NaN)));
  ctx.say(
    `RSS idle / after login: ${measured}; at this point: ${services.map((s) => `${s} ${mb(now[s])} MB`).join(', ')}`,
  );
  return [
    {
      name: 'memory',
      measured: `${measured} (idle / after login)`,
      baseline: '-',
      ratio: '-',
      target: `< ${LIMIT_MB} MB each`,
      met: met(Number.isFinite(worst) ? worst < LIMIT_MB : undefined),
      note: `VmRSS from /proc/<pid>/status; at the memory row (after the rows before it): ${services
        .map((s) => `${s} ${mb(now[s])} MB`)
        .join(', ')}`,
      details: { idle, afterLogin: after, atMemoryRow: now },
    },
  ];
}
