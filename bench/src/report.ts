import { table } from './stats';

/** One line of the summary table. A row never fails the run: `met` only reports. */
export interface Row {
  name: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  /** yes / no against the target; n/a when the row could not be measured; "-" without a target. */
  met: 'yes' | 'no' | 'n/a' | '-';
  /** Printed under the table (settings, why n/a). */
  note?: string;
  /** Raw figures for bench/results/latest.json. */
  details?: Record<string, unknown>;
}

export const met = (ok: boolean | undefined): Row['met'] => (ok === undefined ? 'n/a' : ok ? 'yes' : 'no');

/** A row that could not be measured, with the reason in `measured`. */
export const notAvailable = (name: string, target: string, reason: string, details = {}): Row => ({
  name,
  measured: `n/a: ${reason}`,
  baseline: '-',
  ratio: 'n/a',
  target,
  met: 'n/a',
  details,
});

export function summaryTable(rows: Row[]): string {
  return table(
    ['name', 'measured', 'baseline', 'ratio', 'target', 'met?'],
    rows.map((r) => [r.name, r.measured, r.baseline, r.ratio, r.target, r.met]),
  );
}
