#!/usr/bin/env node
import fs from 'fs';
import path from 'path';
import { usersSearch } from './users-search';

// `pnpm bench [name...] [--quick]`: runs the named benchmarks (all when none) and writes
// bench/results/latest.json.
const BENCHES: Record<string, (quick: boolean, say: (l: string) => void) => Promise<unknown>> = {
  'users-search': (quick, say) =>
    usersSearch({ users: quick ? 20_000 : 1_000_000, iterations: quick ? 50 : 300, say }),
};

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  const results: Record<string, unknown> = {};
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    console.log(`\n## ${name}${quick ? ' (quick)' : ''}`);
    results[name] = await BENCHES[name]!(quick, (l) => console.log(l));
  }
  const dir = path.join(__dirname, '..', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'latest.json'),
    JSON.stringify({ at: new Date().toISOString(), quick, results }, null, 2),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
