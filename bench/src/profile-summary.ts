#!/usr/bin/env node
// Reads V8 .cpuprofile files (from `pnpm bench --cpu-prof`, i.e. `node --cpu-prof` on the service
// processes) and prints where the time went: the top functions by self time, and each package's
// share by self and by inclusive time (a sample counts once for every package on its stack).
//   node bench/dist/profile-summary.js bench/results/profiles/users-*.cpuprofile [--top 25]
import fs from 'fs';
import path from 'path';
import { table } from './stats';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** What a frame belongs to: a package, Usher's own code, node itself, or V8's pseudo-frames. */
export function categoryOf(url: string, functionName: string): string {
  if (!url) {
    if (/^\((garbage collector|idle|program|root)\)$/.test(functionName)) return functionName;
    return '(native)';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const usher = /\/(services|packages)\/([^/]+)\//.exec(url);
  if (usher) return `usher:${usher[2]}`;
  return path.basename(url);
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time less (idle): shares are of this. */
  busyMs: number;
  functions: { name: string; selfMs: number; share: number }[];
  packages: {
    name: string;
    selfMs: number;
    inclusiveMs: number;
    selfShare: number;
    inclusiveShare: number;
  }[];
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; attribute the following delta to it
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map<string, number>();
  const pkgSelf = new Map<string, number>();
  const pkgIncl = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const cat = categoryOf(url, functionName);
    const name =
      `${functionName || '(anonymous)'} ${url ? `${cat} ${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    fnSelf.set(name, (fnSelf.get(name) ?? 0) + ms);
    pkgSelf.set(cat, (pkgSelf.get(cat) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const c = categoryOf(f.url, f.functionName);
      if (c === '(root)' || seen.has(c)) continue;
      seen.add(c);
      pkgIncl.set(c, (pkgIncl.get(c) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - (pkgSelf.get('(idle)') ?? 0);
  const share = (ms: number) => (busyMs ? ms / busyMs : 0);
  return {
    totalMs,
    busyMs,
    functions: [...fnSelf.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, selfMs]) => ({ name, selfMs, share: share(selfMs) })),
    packages: [...pkgIncl.keys()]
      .filter((name) => name !== '(idle)')
      .map((name) => ({
        name,
        selfMs: pkgSelf.get(name) ?? 0,
        inclusiveMs: pkgIncl.get(name) ?? 0,
        selfShare: share(pkgSelf.get(name) ?? 0),
        inclusiveShare: share(pkgIncl.get(name) ?? 0),
      }))
      .sort((a, b) => b.inclusiveMs - a.inclusiveMs)
      .slice(0, top),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatSummary(file: string, s: ProfileSummary): string {
  return [
    `${file}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy (shares are of busy time)`,
    '',
    table(
      ['function (self time)', 'self', 'share'],
      s.functions.map((f) => [f.name, `${f.selfMs.toFixed(0)} ms`, pct(f.share)]),
    ),
    '',
    table(
      ['package', 'self', 'inclusive'],
      s.packages.map((p) => [p.name, pct(p.selfShare), pct(p.inclusiveShare)]),
    ),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
  if (!files.length) {
    console.error('usage: node bench/dist/profile-summary.js <file.cpuprofile>... [--top N]');
    process.exit(2);
  }
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(formatSummary(path.basename(file), summarizeProfile(profile, top)) + '\n\n');
  }
}
