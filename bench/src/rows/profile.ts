import path from 'path';
import { freePort } from '@usher/testkit';
import { signIn, signUp, type BenchContext } from '../context';
import { describeLoad, httpLoad, mergeHttp } from '../http-load';
import { spawnNode, waitListening } from '../procs';
import { met, type Row } from '../report';
import { CHILDREN } from '../stack';
import { alternate, fmtRatio, ratio } from '../stats';

const CONCURRENCY = 32;

/** Authenticated GET /users/profile vs an express "hello" route in a process of its own. */
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
    },
    { args: [String(port)] },
  );
  try {
    await waitListening(hello, port);
    const seconds = ctx.settings.seconds;
    const warm = ctx.settings.quick ? 1 : 2;
    const usherOpts = {
      url: `${stack.usersUrl}/users/profile`,
      headers: { authorization: `Bearer ${access}` },
      connections: CONCURRENCY,
    };
    const helloOpts = { url: `http://127.0.0.1:${port}/hello`, connections: CONCURRENCY };
    await httpLoad({ ...usherOpts, seconds: warm });
    await httpLoad({ ...helloOpts, seconds: warm });
    const { rounds } = ctx.settings;
    const [us, bs] = await alternate(
      rounds,
      () => httpLoad({ ...usherOpts, seconds: seconds / rounds }),
      () => httpLoad({ ...helloOpts, seconds: seconds / rounds }),
    );
    const u = mergeHttp(us);
    const b = mergeHttp(bs);
    ctx.say(`usher GET /users/profile: ${describeLoad(u)}`);
    ctx.say(`express hello: ${describeLoad(b)}`);
    const r = ratio(u.rps, b.rps);
    return [
      {
        name: 'profile',
        measured: describeLoad(u),
        baseline: `express hello ${describeLoad(b)}`,
        ratio: fmtRatio(r),
        target: '>= 0.5x',
        met: met(Number.isFinite(r) ? r >= 0.5 : undefined),
        note: `concurrency ${CONCURRENCY} (autocannon, keep-alive), one access token`,
        details: { usher: u, baseline: b, ratio: r },
      },
    ];
  } finally {
    await hello.stop();
  }
}
