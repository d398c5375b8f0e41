#!/usr/bin/env node
import fs from 'fs';
import path from 'path';
import { createContext, type BenchContext } from './context';
import { cpuProfiling, killAll, PROFILE_DIR, RESULTS_DIR } from './procs';
import { summaryTable, type Row } from './report';
import { event } from './rows/event';
import { memory } from './rows/memory';
import { localVerify } from './rows/local-verify';
import { login, register } from './rows/password';
import { peer } from './rows/peer';
import { profile } from './rows/profile';
import { revoke } from './rows/revoke';
import { search } from './rows/search';
import { verify } from './rows/verify';
import { benchSettings, stopBenchPostgres } from './stack';

// `pnpm bench [name...] [--quick] [--cpu-prof]`: runs the named benchmarks (all when none), prints one
// table and writes bench/results/latest.json. A ratio under its target never fails the run; a
// harness that cannot measure (a crash, a service that does not start) does, with exit code 1.
const BENCHES: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  login,
  register,
  verify,
  'local-verify': localVerify,
  profile,
  event,
  revoke,
  memory,
  peer,
  'users-search': search,
};

const USAGE = `usage: pnpm bench [${Object.keys(BENCHES).join('|')}]... [--quick] [--cpu-prof]`;

async function main() {
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith('--'));
  const names = args.filter((a) => !a.startsWith('--'));
  if (flags.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const unknownFlags = flags.filter((f) => !['--quick', '--cpu-prof'].includes(f));
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length || unknownFlags.length) {
    console.error(`unknown ${[...unknown, ...unknownFlags].join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const quick = flags.includes('--quick');
  cpuProfiling.on = flags.includes('--cpu-prof');
  const settings = benchSettings(quick);
  // the whole run is bounded: a hung harness fails instead of holding CI
  const budgetMs = Number(process.env.USHER_BENCH_BUDGET_S || (quick ? 600 : 1800)) * 1000;
  const started = Date.now();
  const { ctx, stop } = createContext(settings, (l) => console.log(l));
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${budgetMs / 1000} s; giving up`);
    killAll();
    // drop this run's database if that can still be done quickly
    setTimeout(() => process.exit(1), 5000).unref();
    void stop().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();
  console.log(
    `Usher benchmarks${quick ? ' (quick)' : ''}: bcrypt cost ${settings.bcryptCost}, UV_THREADPOOL_SIZE=${settings.threadPool}, ` +
      `${settings.seconds} s per load, NATS ${settings.natsUrl}; loads only against 127.0.0.1`,
  );
  const rows: Row[] = [];
  const failures: string[] = [];
  const timings: Record<string, number> = {};
  try {
    // always in the table's order (users-search, which may start and stop PostgreSQL, last)
    for (const name of Object.keys(BENCHES).filter((n) => !names.length || names.includes(n))) {
      console.log(`\n## ${name}${quick ? ' (quick)' : ''}`);
      const t = Date.now();
      try {
        rows.push(...(await BENCHES[name]!(ctx)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`${name} failed: ${error instanceof Error ? error.stack : message}`);
        failures.push(name);
        rows.push({
          name,
          measured: `error: ${message.split('\n')[0]}`,
          baseline: '-',
          ratio: 'n/a',
          target: '-',
          met: 'n/a',
        });
      }
      timings[name] = (Date.now() - t) / 1000;
      console.log(`(${name}: ${timings[name]!.toFixed(1)} s)`);
    }
  } finally {
    await stop().catch((e: unknown) => console.error('stopping the stack:', e));
    await stopBenchPostgres().catch((e: unknown) => console.error('stopping PostgreSQL:', e));
  }

  const seconds = (Date.now() - started) / 1000;
  console.log(`\n# Results${quick ? ' (quick: a harness check, not figures to quote)' : ''}\n`);
  console.log(summaryTable(rows));
  console.log('');
  for (const r of rows) if (r.note) console.log(`- ${r.name}: ${r.note}`);
  console.log(`\ntotal ${seconds.toFixed(0)} s`);
  if (cpuProfiling.on) console.log(`CPU profiles of the service processes: ${PROFILE_DIR}`);

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'latest.json'),
    JSON.stringify(
      { at: new Date().toISOString(), quick, settings, seconds, timings, rows, failures },
      (key, value: unknown) => (key === 'latencies' ? undefined : value), // raw samples stay out
      2,
    ),
  );
  if (failures.length) {
    console.error(`bench: harness failed for ${failures.join(', ')}`);
    process.exit(1);
  }
  process.exit(0);
}

process.once('SIGINT', () => {
  killAll();
  process.exit(130);
});

main().catch((e) => {
  console.error(e);
  killAll();
  process.exit(1);
});
