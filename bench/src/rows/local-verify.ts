import crypto from 'crypto';
import { performance } from 'perf_hooks';
import { createAuthClient, createVerifier, type Principal } from '@usher/auth-client';
import { benchCaller } from '../callers';
import type { BenchContext } from '../context';
import { met, type Row } from '../report';
import { fmt, fmtRate, fmtRatio, summarize } from '../stats';

/** Calls `check` back to back for `seconds`: calls per second and latencies (ms). */
async function closedLoop(check: () => Promise<Principal>, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    await check();
    latencies.push(performance.now() - t);
    // a cached check resolves without I/O; a server returns to the event loop between requests,
    // and so must this loop, or the revocation stream's heartbeats are never read
    if (latencies.length % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  return { cps: latencies.length / ((performance.now() - started) / 1000), ...summarize(latencies) };
}

/**
 * local-verify: one access token verified by createVerifier() in-process (JWKS + pushed
 * revocations) against the same token sent to Authenticate over gRPC, each back to back.
 */
export async function localVerify(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  const client = createAuthClient({ url: stack.auth.address, timeoutMs: 5000, caller: benchCaller() });
  const verifier = createVerifier(client);
  try {
    if (!(await verifier.ready(10_000))) throw new Error('the verifier did not sync with auth');
    const pair = await client.issue({ userId: crypto.randomUUID(), role: 'viewer', verified: true });
    const token = pair.accessToken;
    const seconds = ctx.settings.seconds;
    await closedLoop(() => verifier.authenticate(token), 0.5); // warm-up (JIT, key parse)
    const local = await closedLoop(() => verifier.authenticate(token), seconds);
    const stillLocal = verifier.local;
    const remote = await closedLoop(() => client.authenticate(token), seconds);
    const r = local.cps / remote.cps;
    const measured = `${fmtRate(local.cps)}/s, p99 ${fmt(local.p99)} ms`;
    ctx.say(
      `local verify: ${measured}; remote Authenticate: ${fmtRate(remote.cps)}/s, p99 ${fmt(remote.p99)} ms`,
    );
    return [
      {
        name: 'local-verify',
        measured,
        baseline: `Authenticate ${fmtRate(remote.cps)}/s, p99 ${fmt(remote.p99)} ms`,
        ratio: fmtRatio(r),
        target: '>= 10x Authenticate',
        met: met(stillLocal && r >= 10),
        note: `one caller, calls back to back for ${seconds} s each; stream fresh throughout: ${stillLocal}`,
        details: { local, remote, stillLocal },
      },
    ];
  } finally {
    verifier.close();
    client.close();
  }
}
