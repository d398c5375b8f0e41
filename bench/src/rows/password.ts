import path from 'path';
import { signUp, signUpBody, type BenchContext } from '../context';
import { describeLoad, httpLoad, mergeHttp, type HttpLoadResult } from '../http-load';
import { runJsonChild } from '../procs';
import { met, type Row } from '../report';
import { CHILDREN } from '../stack';
import { alternate, fmtRate, fmtRatio, ratio } from '../stats';

const CONCURRENCY = 32;
const TARGET = 0.85;

export interface HashBaseline {
  ops: number;
  seconds: number;
  opsPerSec: number;
}

export const mergeHash = (rounds: HashBaseline[]): HashBaseline => {
  const ops = rounds.reduce((a, r) => a + r.ops, 0);
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  return { ops, seconds, opsPerSec: ops / seconds };
};

/** Raw hashing in a child process with the services' UV_THREADPOOL_SIZE, at the same concurrency. */
export function hashBaseline(
  ctx: BenchContext,
  mode: 'bcrypt-compare' | 'bcrypt-hash' | 'scrypt-verify',
  seconds: number,
): Promise<HashBaseline> {
  const { bcryptCost, threadPool } = ctx.settings;
  return runJsonChild<HashBaseline>(
    mode,
    path.join(CHILDREN, 'hash-baseline.js'),
    [mode, String(bcryptCost), String(CONCURRENCY), String(seconds)],
    { UV_THREADPOOL_SIZE: String(threadPool), NODE_ENV: 'production' },
    (seconds + 60) * 1000,
  );
}

const settingsNote = (ctx: BenchContext) =>
  `bcrypt cost ${ctx.settings.bcryptCost}, UV_THREADPOOL_SIZE=${ctx.settings.threadPool}, concurrency ${CONCURRENCY}`;

/** The same load on Usher and on a raw-hash child, alternating rounds. */
async function versusHash(
  ctx: BenchContext,
  usher: (seconds: number) => Promise<HttpLoadResult>,
  mode: 'bcrypt-compare' | 'bcrypt-hash',
) {
  const { rounds, hashSeconds } = ctx.settings;
  const stack = await ctx.stack();
  const [u, b] = await alternate(
    rounds,
    () => usher(hashSeconds / rounds),
    () => hashBaseline(ctx, mode, hashSeconds / rounds),
    () => stack.settle(), // the users service drains its bcrypt queue before the baseline runs
  );
  return { usher: mergeHttp(u), baseline: mergeHash(b) };
}

/** A sign-in load on Usher (8 accounts, concurrency 32); notes the services' RSS right after it. */
export async function signInLoad(ctx: BenchContext) {
  const stack = await ctx.stack();
  const users = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(stack.usersUrl, `login${i}`)));
  const bodyFor = (i: number) => {
    const u = users[i % users.length]!;
    return JSON.stringify({ identity: u.username, secret: u.secret });
  };
  const url = `${stack.usersUrl}/users/tokens/issue`;
  await httpLoad({ url, method: 'POST', connections: 4, seconds: ctx.settings.quick ? 1 : 2, bodyFor });
  return async (seconds: number) => {
    const result = await httpLoad({ url, method: 'POST', connections: CONCURRENCY, seconds, bodyFor });
    ctx.shared.rssAfterLogin = stack.rss();
    return result;
  };
}

/** Sign-in under load alone (for the memory and peer rows when login did not run). */
export async function loginLoad(ctx: BenchContext): Promise<HttpLoadResult> {
  const load = await signInLoad(ctx);
  const result = await load(ctx.settings.quick ? ctx.settings.hashSeconds : ctx.settings.hashSeconds / 2);
  ctx.shared.login = result;
  return result;
}

const row = (
  name: string,
  ctx: BenchContext,
  usher: HttpLoadResult,
  base: HashBaseline,
  what: string,
): Row => {
  const r = ratio(usher.rps, base.opsPerSec);
  return {
    name,
    measured: describeLoad(usher),
    baseline: `${what} ${fmtRate(base.opsPerSec)} ops/s`,
    ratio: fmtRatio(r),
    target: `>= ${TARGET}x`,
    met: met(Number.isFinite(r) && !usher.non2xx && !usher.errors ? r >= TARGET : undefined),
    note: settingsNote(ctx),
    details: { usher, baseline: base, ratio: r, settings: ctx.settings },
  };
};

export async function login(ctx: BenchContext): Promise<Row[]> {
  ctx.say(`settings: ${settingsNote(ctx)}`);
  const { usher, baseline } = await versusHash(ctx, await signInLoad(ctx), 'bcrypt-compare');
  ctx.shared.login = usher;
  ctx.say(`usher POST /users/tokens/issue: ${describeLoad(usher)}`);
  ctx.say(`raw bcrypt.compare: ${fmtRate(baseline.opsPerSec)} ops/s`);
  return [row('login', ctx, usher, baseline, 'bcrypt.compare')];
}

export async function register(ctx: BenchContext): Promise<Row[]> {
  ctx.say(`settings: ${settingsNote(ctx)}`);
  const stack = await ctx.stack();
  const url = `${stack.usersUrl}/users`;
  const bodyFor = (i: number) => JSON.stringify(signUpBody(`r${i}_`));
  await httpLoad({ url, method: 'POST', connections: 4, seconds: ctx.settings.quick ? 1 : 2, bodyFor });
  const { usher, baseline } = await versusHash(
    ctx,
    (seconds) => httpLoad({ url, method: 'POST', connections: CONCURRENCY, seconds, bodyFor }),
    'bcrypt-hash',
  );
  ctx.say(`usher POST /users: ${describeLoad(usher)}`);
  ctx.say(`raw bcrypt.hash: ${fmtRate(baseline.opsPerSec)} ops/s`);
  return [row('register', ctx, usher, baseline, 'bcrypt.hash')];
}
