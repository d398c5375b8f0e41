import crypto from 'crypto';
import path from 'path';
import type { Token__Output } from '@usher/contracts';
import { freePort } from '@usher/testkit';
import type { BenchContext } from '../context';
import { authClient, authenticateLoad, describeGrpc, mergeGrpc } from '../grpc-load';
import { spawnNode, waitListening } from '../procs';
import { met, type Row } from '../report';
import { CHILDREN } from '../stack';
import { alternate, fmtRatio, ratio } from '../stats';

const CONCURRENCY = 64;

/** gRPC Authenticate on the auth service vs an empty grpc-js unary server, same generator and concurrency. */
export async function verify(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  const usher = authClient(stack.auth.address);
  const port = await freePort();
  const echoProc = spawnNode(
    'echo-server',
    path.join(CHILDREN, 'echo-server.js'),
    {
      NODE_ENV: 'production',
      UV_THREADPOOL_SIZE: String(ctx.settings.threadPool),
    },
    { args: [String(port)] },
  );
  const echo = authClient(`127.0.0.1:${port}`);
  try {
    await waitListening(echoProc, port);
    // 64 live sessions of 64 users: one token per call in flight, as many callers would hold
    const tokens = await Promise.all(
      Array.from(
        { length: CONCURRENCY },
        () =>
          new Promise<string>((resolve, reject) =>
            usher.Issue(
              { user_id: crypto.randomUUID(), role: 'ROLE_VIEWER', verified: true, method: 'password' },
              (err: Error | null, t?: Token__Output) => (err ? reject(err) : resolve(t!.access_token)),
            ),
          ),
      ),
    );
    const seconds = ctx.settings.seconds;
    const warm = ctx.settings.quick ? 0.5 : 2;
    await authenticateLoad({ client: usher, tokens, concurrency: CONCURRENCY, seconds: warm });
    await authenticateLoad({ client: echo, tokens, concurrency: CONCURRENCY, seconds: warm });
    const { rounds } = ctx.settings;
    const [us, bs] = await alternate(
      rounds,
      () => authenticateLoad({ client: usher, tokens, concurrency: CONCURRENCY, seconds: seconds / rounds }),
      () => authenticateLoad({ client: echo, tokens, concurrency: CONCURRENCY, seconds: seconds / rounds }),
      () => stack.settle([echoProc]),
    );
    const u = mergeGrpc(us);
    const b = mergeGrpc(bs);
    ctx.say(`usher Authenticate: ${describeGrpc(u)}`);
    ctx.say(`empty grpc-js server: ${describeGrpc(b)}`);
    const r = ratio(u.cps, b.cps);
    const p99 = ratio(u.p99, b.p99);
    const ok = Number.isFinite(r) && Number.isFinite(p99) ? r >= 0.7 && p99 <= 2 : undefined;
    return [
      {
        name: 'verify',
        measured: describeGrpc(u),
        baseline: `empty server ${describeGrpc(b)}`,
        ratio: `${fmtRatio(r)}, p99 ${fmtRatio(p99)}`,
        target: '>= 0.7x, p99 <= 2x',
        met: met(u.errors ? false : ok),
        note: `concurrency ${CONCURRENCY}, one grpc-js channel per server, ${tokens.length} distinct tokens`,
        details: { usher: u, baseline: b, ratio: r, p99Ratio: p99 },
      },
    ];
  } finally {
    usher.close();
    echo.close();
    await echoProc.stop();
  }
}
