import autocannon from 'autocannon';
import { percentile } from './stats';

export interface HttpLoadResult {
  /** 2xx responses per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Every 2xx response's latency in ms (kept out of latest.json). */
  latencies: number[];
}

export interface HttpLoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body for each request (e.g. unique sign-ups). */
  bodyFor?: (i: number) => string;
}

/** autocannon against a loopback URL for a bounded time; latencies in ms. */
export async function httpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  const host = new URL(opts.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new Error(`refusing to load ${host}: loopback only`);
  let i = 0;
  const bodyFor = opts.bodyFor;
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 30,
    method: opts.method ?? 'GET',
    headers: { ...(opts.body || bodyFor ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(bodyFor
      ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: bodyFor(i++) }) }] }
      : opts.body
        ? { body: opts.body }
        : {}),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, res: autocannon.Result) =>
      err ? reject(err) : resolve(res),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
  return {
    rps: result['2xx'] / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
    latencies,
  };
}

/** Several rounds of one load as one result. */
export function mergeHttp(rounds: HttpLoadResult[]): HttpLoadResult {
  const latencies = rounds.flatMap((r) => r.latencies);
  const sum = (k: 'ok' | 'non2xx' | 'errors' | 'seconds') => rounds.reduce((a, r) => a + r[k], 0);
  return {
    rps: sum('ok') / sum('seconds'),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    seconds: sum('seconds'),
    latencies,
  };
}

/** "8.10 req/s, p50 3.2 s / p99 3.9 s" style, with failures when there were any. */
export function describeLoad(r: HttpLoadResult, unit = 'req/s'): string {
  const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
  const failures = r.non2xx + r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : '';
  return `${r.rps.toFixed(r.rps < 100 ? 1 : 0)} ${unit} (p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${failures})`;
}
