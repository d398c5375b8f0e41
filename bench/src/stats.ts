/** Percentile of a sample in milliseconds (nearest rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `fn` `count` times after `warmup` runs and returns each duration in ms. */
export async function timeEach(
  count: number,
  fn: (i: number) => Promise<unknown>,
  warmup = Math.min(20, count),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export const fmt = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0));

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [
    line(cells[0]!),
    '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |',
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** p50 and p99 of a sample in ms, and its size. */
export function summarize(samples: number[]): { n: number; p50: number; p99: number } {
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** A rate for a table cell: 3 significant digits at most, never in exponent form. */
export const fmtRate = (perSecond: number) =>
  !Number.isFinite(perSecond)
    ? 'n/a'
    : perSecond >= 100
      ? Math.round(perSecond).toString()
      : perSecond >= 10
        ? perSecond.toFixed(1)
        : perSecond.toFixed(2);

/** `a / b` as "0.93x"; "n/a" when either side is missing or b is 0. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}
export const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');

/**
 * Runs `a` and `b` in alternation, `rounds` times each (a b a b ...), so that load from elsewhere on
 * the machine falls on both sides alike; `settle` runs after each (e.g. until the servers are idle).
 * Returns each side's results in order.
 */
export async function alternate<A, B>(
  rounds: number,
  a: (round: number) => Promise<A>,
  b: (round: number) => Promise<B>,
  settle: () => Promise<void> = async () => undefined,
): Promise<[A[], B[]]> {
  const as: A[] = [];
  const bs: B[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a(i));
    await settle();
    bs.push(await b(i));
    await settle();
  }
  return [as, bs];
}

/** `alternate` for any number of sides of one kind: a b c a b c ..., `settle` after each. */
export async function rotate<T>(
  rounds: number,
  sides: ((round: number) => Promise<T>)[],
  settle: () => Promise<void> = async () => undefined,
): Promise<T[][]> {
  const out = sides.map(() => [] as T[]);
  for (let i = 0; i < rounds; i++)
    for (const [k, side] of sides.entries()) {
      out[k]!.push(await side(i));
      await settle();
    }
  return out;
}
