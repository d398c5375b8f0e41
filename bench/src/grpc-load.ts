import { performance } from 'perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { newAuthServiceClient, type AuthServiceClient } from '@usher/contracts';
import { percentile } from './stats';
import { benchCaller } from './callers';

export interface GrpcLoadResult {
  /** Successful calls per second. */
  cps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  seconds: number;
  firstError?: string;
  /** Every successful call's latency in ms (kept out of latest.json). */
  latencies: number[];
}

/** A typed AuthService client over one channel to a loopback address (what a calling service holds). */
export function authClient(address: string): AuthServiceClient {
  if (!/^(127\.0\.0\.1|localhost):\d+$/.test(address))
    throw new Error(`refusing to load ${address}: loopback only`);
  return newAuthServiceClient(address, grpc.credentials.createInsecure(), {}, benchCaller());
}

/**
 * The verify row's load generator: `concurrency` Authenticate calls always in flight for `seconds`,
 * token i of the list on call i. Latencies in ms.
 */
export function authenticateLoad(opts: {
  client: AuthServiceClient;
  tokens: string[];
  concurrency: number;
  seconds: number;
}): Promise<GrpcLoadResult> {
  const { client, tokens, concurrency } = opts;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let i = 0;
  const started = performance.now();
  const end = started + opts.seconds * 1000;
  let lastDone = started;
  return new Promise((resolve) => {
    let active = concurrency;
    const next = () => {
      const t0 = performance.now();
      if (t0 >= end) {
        if (--active === 0) {
          const seconds = (lastDone - started) / 1000;
          resolve({
            cps: latencies.length / seconds,
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            ok: latencies.length,
            errors,
            seconds,
            firstError,
            latencies,
          });
        }
        return;
      }
      const token = tokens[i++ % tokens.length]!;
      client.Authenticate({ token }, { deadline: Date.now() + 10_000 }, (err) => {
        lastDone = performance.now();
        if (err) {
          errors++;
          firstError ??= `${grpc.status[err.code ?? 2]}: ${err.details}`;
        } else latencies.push(lastDone - t0);
        next();
      });
    };
    for (let w = 0; w < concurrency; w++) next();
  });
}

/** Several rounds of one load as one result. */
export function mergeGrpc(rounds: GrpcLoadResult[]): GrpcLoadResult {
  const latencies = rounds.flatMap((r) => r.latencies);
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  return {
    cps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    seconds,
    firstError: rounds.find((r) => r.firstError)?.firstError,
    latencies,
  };
}

export function describeGrpc(r: GrpcLoadResult): string {
  const failures = r.errors ? `, ${r.errors} errors (${r.firstError})` : '';
  return `${Math.round(r.cps)} calls/s (p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${failures})`;
}
