// The harness's own pieces, without timing anything: benchmarks never run in `pnpm test`.
import { mergeGrpc } from './grpc-load';
import { describeLoad, httpLoad, mergeHttp, type HttpLoadResult } from './http-load';
import { categoryOf, summarizeProfile, type CpuProfile } from './profile-summary';
import { cpuTicks, rssMb, waitIdle } from './procs';
import { met, notAvailable, summaryTable } from './report';
import { mergeHash } from './rows/password';
import { benchSettings } from './stack';
import { alternate, fmtRate, fmtRatio, percentile, ratio, summarize, table } from './stats';

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(summarize([3, 1, 2])).toEqual({ n: 3, p50: 2, p99: 3 });
  });

  it('formats ratios and rates, n/a when a side is missing', () => {
    expect(fmtRatio(ratio(85, 100))).toBe('0.85x');
    expect(fmtRatio(ratio(1, 0))).toBe('n/a');
    expect(fmtRatio(ratio(NaN, 3))).toBe('n/a');
    expect(fmtRate(12345.6)).toBe('12346');
    expect(fmtRate(36.84)).toBe('36.8');
    expect(fmtRate(8.123)).toBe('8.12');
  });

  it('alternates the two sides a b a b', async () => {
    const order: string[] = [];
    const [as, bs] = await alternate(
      3,
      async (i) => (order.push(`a${i}`), i),
      async (i) => (order.push(`b${i}`), -i),
      async () => void order.push('.'),
    );
    expect(order).toEqual(['a0', '.', 'b0', '.', 'a1', '.', 'b1', '.', 'a2', '.', 'b2', '.']);
    expect(as).toEqual([0, 1, 2]);
    expect(bs).toEqual([-0, -1, -2]);
  });
});

describe('processes', () => {
  it('reads CPU time and RSS from /proc, NaN for a process that is gone', async () => {
    expect(cpuTicks(process.pid)).toBeGreaterThanOrEqual(0);
    expect(rssMb(process.pid)).toBeGreaterThan(1);
    expect(cpuTicks(2 ** 22 + 1)).toBeNaN();
    await expect(waitIdle([2 ** 22 + 1], 2000)).resolves.toEqual(expect.any(Number));
  });
});

describe('tables', () => {
  it('pads columns to their widest cell', () => {
    expect(table(['a', 'bb'], [['xxx', 1]])).toBe('| a   | bb |\n| --- | -- |\n| xxx | 1  |');
  });

  it('prints the summary columns, with n/a rows for what could not be measured', () => {
    const out = summaryTable([
      {
        name: 'login',
        measured: '9 req/s',
        baseline: '10 ops/s',
        ratio: '0.90x',
        target: '>= 0.85x',
        met: met(true),
      },
      notAvailable('event', 'p50 <= 3x', 'no user events published'),
    ]);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^\| name +\| measured +\| baseline +\| ratio +\| target +\| met\? \|$/);
    expect(lines[2]).toContain('| yes ');
    expect(lines[3]).toContain('n/a: no user events published');
    expect(met(false)).toBe('no');
    expect(met(undefined)).toBe('n/a');
  });
});

describe('merging rounds', () => {
  const round = (ok: number, seconds: number, latencies: number[]): HttpLoadResult => ({
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok,
    non2xx: 1,
    errors: 0,
    seconds,
    latencies,
  });

  it('adds counts and time and takes percentiles over all samples', () => {
    const m = mergeHttp([round(10, 2, [1, 2, 3]), round(30, 2, [4, 5, 6, 7])]);
    expect(m.rps).toBe(10);
    expect(m.ok).toBe(40);
    expect(m.non2xx).toBe(2);
    expect(m.p50).toBe(4);
    expect(m.p99).toBe(7);
    expect(describeLoad(m)).toBe('10.0 req/s (p50 4.0 ms, p99 7.0 ms, 2 non-2xx, 0 errors)');
    expect(
      mergeHash([
        { ops: 10, seconds: 1, opsPerSec: 10 },
        { ops: 30, seconds: 3, opsPerSec: 10 },
      ]),
    ).toEqual({
      ops: 40,
      seconds: 4,
      opsPerSec: 10,
    });
    const g = mergeGrpc([
      { cps: 2, p50: 1, p99: 1, ok: 2, errors: 0, seconds: 1, latencies: [1, 1] },
      { cps: 2, p50: 3, p99: 3, ok: 2, errors: 1, seconds: 1, latencies: [3, 3], firstError: 'x' },
    ]);
    expect(g).toMatchObject({ cps: 2, ok: 4, errors: 1, p50: 1, p99: 3, firstError: 'x' });
  });
});

describe('loads stay on this machine', () => {
  it('refuses a target that is not loopback', async () => {
    await expect(httpLoad({ url: 'http://192.0.2.1/', connections: 1, seconds: 1 })).rejects.toThrow(
      /loopback only/,
    );
  });
});

describe('settings', () => {
  it('are explicit, shorter in quick mode, and overridable', () => {
    expect(benchSettings(false, {})).toMatchObject({ bcryptCost: 12, threadPool: 4, rounds: 3, seconds: 15 });
    expect(benchSettings(true, {})).toMatchObject({ bcryptCost: 10, threadPool: 4, rounds: 1, seconds: 3 });
    expect(
      benchSettings(false, { USHER_BENCH_BCRYPT_COST: '11', USHER_BENCH_UV_THREADPOOL_SIZE: '2' }),
    ).toMatchObject({ bcryptCost: 11, threadPool: 2 });
  });
});

describe('profile summary', () => {
  it('names packages, Usher code and V8 pseudo-frames', () => {
    expect(categoryOf('file:///x/node_modules/.pnpm/pg@8/node_modules/pg/lib/client.js', 'f')).toBe('pg');
    expect(categoryOf('file:///x/node_modules/@grpc/grpc-js/build/src/server.js', 'f')).toBe('@grpc/grpc-js');
    expect(categoryOf('file:///work/main/services/users/dist/http/app.js', 'f')).toBe('usher:users');
    expect(categoryOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(categoryOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(categoryOf('', 'writeUtf8String')).toBe('(native)');
  });

  it('adds self time per function and inclusive time per package, idle aside', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 4] },
        { id: 2, callFrame: frame('handler', 'file:///r/services/users/dist/a.js'), children: [3] },
        { id: 3, callFrame: frame('query', 'file:///r/node_modules/pg/lib/c.js') },
        { id: 4, callFrame: frame('(idle)') },
      ],
      // sample i lasts timeDeltas[i + 1] µs
      samples: [2, 3, 4, 3],
      timeDeltas: [0, 1000, 2000, 3000],
      startTime: 0,
      endTime: 6000,
    };
    const s = summarizeProfile(profile);
    expect(s.totalMs).toBe(6);
    expect(s.busyMs).toBe(3);
    expect(s.functions[0]).toMatchObject({ name: expect.stringMatching(/^query pg c\.js:1/), selfMs: 2 });
    const users = s.packages.find((p) => p.name === 'usher:users')!;
    expect(users.selfMs).toBe(1);
    expect(users.inclusiveMs).toBe(3);
    expect(users.inclusiveShare).toBe(1);
  });
});
