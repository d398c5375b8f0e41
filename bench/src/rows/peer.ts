import crypto from 'crypto';
import path from 'path';
import { freePort } from '@usher/testkit';
import type { BenchContext } from '../context';
import { describeLoad, httpLoad, mergeHttp } from '../http-load';
import { spawnNode, waitListening } from '../procs';
import type { Row } from '../report';
import { CHILDREN, freshDatabase } from '../stack';
import { alternate, fmtRate, fmtRatio, ratio } from '../stats';
import { hashBaseline, signInLoad } from './password';

const CONCURRENCY = 32;
const SCRYPT = 'scrypt N=16384 r=16 p=1';

/** better-auth email/password sign-in on the same PostgreSQL (a database of its own), beside Usher's. */
export async function peer(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  const usherLoad = await signInLoad(ctx);
  const db = await freshDatabase('peer');
  const port = await freePort();
  const server = spawnNode(
    'better-auth',
    path.join(CHILDREN, 'better-auth-server.js'),
    { NODE_ENV: 'production', DATABASE_URL: db.url, UV_THREADPOOL_SIZE: String(ctx.settings.threadPool) },
    { args: [String(port)], profile: true },
  );
  try {
    await waitListening(server, port);
    const origin = `http://127.0.0.1:${port}`;
    const base = `${origin}/api/auth`;
    // better-auth refuses a POST without an Origin it trusts (its baseURL is)
    const headers = { 'content-type': 'application/json', origin };
    const password = 'correct horse battery staple';
    const users = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const email = `peer${i}.${crypto.randomBytes(4).toString('hex')}@example.com`;
        const res = await fetch(`${base}/sign-up/email`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ email, password, name: `Peer ${i}` }),
        });
        if (!res.ok) throw new Error(`better-auth sign-up: ${res.status} ${await res.text()}`);
        return email;
      }),
    );
    const opts = {
      url: `${base}/sign-in/email`,
      method: 'POST' as const,
      connections: CONCURRENCY,
      headers: { origin },
      bodyFor: (i: number) => JSON.stringify({ email: users[i % users.length], password }),
    };
    await httpLoad({ ...opts, connections: 4, seconds: ctx.settings.quick ? 1 : 2 });
    const { rounds, hashSeconds } = ctx.settings;
    const [us, ps] = await alternate(
      rounds,
      () => usherLoad(hashSeconds / rounds),
      () => httpLoad({ ...opts, seconds: hashSeconds / rounds }),
      () => stack.settle([server]), // both drain their hashing queues between rounds
    );
    const usher = mergeHttp(us);
    const peerLoad = mergeHttp(ps);
    ctx.say(`usher POST /users/tokens/issue: ${describeLoad(usher)}`);
    ctx.say(`better-auth POST /api/auth/sign-in/email: ${describeLoad(peerLoad)}`);
    await stack.settle([server]);
    const raw = await hashBaseline(ctx, 'scrypt-verify', hashSeconds / rounds);
    ctx.say(
      `raw ${SCRYPT}: ${fmtRate(raw.opsPerSec)} ops/s (better-auth's own ratio ${fmtRatio(ratio(peerLoad.rps, raw.opsPerSec))})`,
    );
    const r = ratio(usher.rps, peerLoad.rps);
    const cost = ctx.settings.bcryptCost;
    return [
      {
        name: 'peer',
        measured: `Usher sign-in ${describeLoad(usher)}, bcrypt cost ${cost}`,
        baseline: `better-auth sign-in ${describeLoad(peerLoad)}, ${SCRYPT}`,
        ratio: fmtRatio(r),
        target: '- (side by side)',
        met: '-',
        note:
          `same PostgreSQL, concurrency ${CONCURRENCY}, UV_THREADPOOL_SIZE=${ctx.settings.threadPool}; ` +
          `the hashes differ in cost: raw ${SCRYPT} ${fmtRate(raw.opsPerSec)} ops/s, so better-auth reaches ` +
          `${fmtRatio(ratio(peerLoad.rps, raw.opsPerSec))} of its hash (compare Usher's login row)`,
        details: { usher, peer: peerLoad, peerRawScrypt: raw, ratio: r },
      },
    ];
  } finally {
    await server.stop();
    await db.drop().catch(() => undefined);
  }
}
