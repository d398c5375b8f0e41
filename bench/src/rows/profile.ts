import path from 'path';
import { freePort } from '@usher/testkit';
import { signIn, signUp, type BenchContext } from '../context';
import { describeLoad, httpLoad, mergeHttp, type HttpLoadOptions, type HttpLoadResult } from '../http-load';
import { spawnNode, waitListening } from '../procs';
import { met, type Row } from '../report';
import { CHILDREN } from '../stack';
import { benchCaller } from '../callers';
import { fmtRatio, ratio, rotate } from '../stats';

const CONCURRENCY = 32;

/**
 * Authenticated GET /users/profile vs an express "hello" route in a process of its own. A third
 * load, /floor, does only what the route must (one Authenticate call to the same auth service, one
 * primary-key select): it splits the gap into the cost of that I/O and the users service's own.
 */
export async function profile(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  const user = await signUp(stack.usersUrl, 'profile');
  const { access } = await signIn(stack.usersUrl, user);
  const port = await freePort();
  const hello = spawnNode(
    'hello-server',
    path.join(CHILDREN, 'hello-server.js'),
    {
      NODE_ENV: 'production',
      UV_THREADPOOL_SIZE: String(ctx.settings.threadPool),
      FLOOR_AUTH: stack.auth.address,
      FLOOR_DB_URL: stack.dbUrl,
      FLOOR_AUTH_CLIENT_ID: benchCaller().id,
      FLOOR_AUTH_CLIENT_SECRET: benchCaller().secret,
    },
    { args: [String(port)], profile: true },
  );
  try {
    await waitListening(hello, port);
    const { seconds, rounds } = ctx.settings;
    const warm = ctx.settings.quick ? 1 : 2;
    const authorization = { authorization: `Bearer ${access}` };
    const sides: Omit<HttpLoadOptions, 'seconds'>[] = [
      { url: `${stack.usersUrl}/users/profile`, headers: authorization, connections: CONCURRENCY },
      { url: `http://127.0.0.1:${port}/hello`, connections: CONCURRENCY },
      { url: `http://127.0.0.1:${port}/floor`, headers: authorization, connections: CONCURRENCY },
    ];
    for (const side of sides) await httpLoad({ ...side, seconds: warm });
    const [u, b, f] = (
      await rotate(
        rounds,
        sides.map((side) => () => httpLoad({ ...side, seconds: seconds / rounds })),
        () => stack.settle([hello]),
      )
    ).map(mergeHttp) as [HttpLoadResult, HttpLoadResult, HttpLoadResult];
    ctx.say(`usher GET /users/profile: ${describeLoad(u)}`);
    ctx.say(`express hello: ${describeLoad(b)}`);
    ctx.say(`floor (express + Authenticate + pk select): ${describeLoad(f)}`);
    const r = ratio(u.rps, b.rps);
    return [
      {
        name: 'profile',
        measured: describeLoad(u),
        baseline: `express hello ${describeLoad(b)}`,
        ratio: fmtRatio(r),
        target: '>= 0.5x',
        met: met(Number.isFinite(r) && !u.non2xx && !u.errors ? r >= 0.5 : undefined),
        note:
          `concurrency ${CONCURRENCY} (autocannon, keep-alive), one access token; floor (express + one ` +
          `Authenticate + one pk select, no framework) ${describeLoad(f)}: Usher/floor ${fmtRatio(ratio(u.rps, f.rps))}, ` +
          `floor/hello ${fmtRatio(ratio(f.rps, b.rps))}`,
        details: { usher: u, baseline: b, floor: f, ratio: r, usherToFloor: ratio(u.rps, f.rps) },
      },
    ];
  } finally {
    await hello.stop();
  }
}
