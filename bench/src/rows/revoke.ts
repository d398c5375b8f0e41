import crypto from 'crypto';
import net from 'net';
import { performance } from 'perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { createAuthClient, createVerifier, type Verifier } from '@usher/auth-client';
import type { Token__Output } from '@usher/contracts';
import { benchCaller } from '../callers';
import type { BenchContext } from '../context';
import { authClient } from '../grpc-load';
import { met, type Row } from '../report';
import { fmt, summarize } from '../stats';

const GIVE_UP_MS = 3000;

const unary = <Req, Res>(
  fn: (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
) =>
  new Promise<Res>((resolve, reject) =>
    fn(req, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res!))),
  );

const natsAnswers = (url: string) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(url);
    const socket = net.connect(Number(u.port || 4222), u.hostname);
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** The verifying service accepts `token`; false once it refuses it (401). */
const accepted = (verifier: Verifier, token: string) =>
  verifier.authenticate(token).then(
    () => true,
    (e: { kind?: string }) => {
      if (e.kind === 'unauthenticated') return false;
      throw e as Error;
    },
  );

/**
 * Revoke a session on auth replica A, time until a verifying service refuses its access token: the
 * service verifies locally (createVerifier) with the revocation stream of replica B.
 */
export async function revoke(ctx: BenchContext): Promise<Row[]> {
  const stack = await ctx.stack();
  const natsUp = await natsAnswers(ctx.settings.natsUrl);
  const replicaB = await stack.startAuthReplica('auth-b');
  const a = authClient(stack.auth.address);
  const b = createAuthClient({ url: replicaB.address, timeoutMs: 5000, caller: benchCaller() });
  const verifier = createVerifier(b);
  let fellBack = 0;
  try {
    if (!(await verifier.ready(10_000))) throw new Error('the verifier did not sync with replica B');
    const once = async () => {
      const token = await unary<object, Token__Output>(a.Issue.bind(a), {
        user_id: crypto.randomUUID(),
        role: 'ROLE_VIEWER',
        verified: true,
        method: 'password',
      });
      if (!(await accepted(verifier, token.access_token)))
        throw new Error('the verifier refused a fresh token');
      const t0 = performance.now();
      await unary(a.RevokeSession.bind(a), { session_id: token.session_id, reason: 'bench' });
      while (performance.now() - t0 < GIVE_UP_MS) {
        if (!verifier.local) fellBack++;
        if (!(await accepted(verifier, token.access_token))) return performance.now() - t0;
        await new Promise((r) => setImmediate(r)); // let the stream's messages in
      }
      return undefined;
    };
    // B subscribes to NATS while it starts: let the first rounds settle it
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 3; i++) await once();
    const samples: number[] = [];
    let missed = 0;
    for (let i = 0; i < (ctx.settings.quick ? 15 : 150); i++) {
      const ms = await once();
      if (ms === undefined) missed++;
      else samples.push(ms);
    }
    const s = summarize(samples);
    const measured = `p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms (n=${s.n}${missed ? `, ${missed} not refused within ${GIVE_UP_MS} ms` : ''})`;
    ctx.say(
      `revoke on A -> refused by a verifier streaming from B: ${measured}; NATS ${natsUp ? 'up' : 'down'}`,
    );
    return [
      {
        name: 'revoke',
        measured,
        baseline: '-',
        ratio: '-',
        target: 'p99 <= 100 ms with NATS up',
        met: natsUp ? met(!missed && s.p99 <= 100) : 'n/a',
        note: natsUp
          ? `revoked on auth A, refused by a service verifying locally with B's revocation stream (${fellBack} checks fell back to Authenticate), NATS at ${ctx.settings.natsUrl}`
          : `NATS down at ${ctx.settings.natsUrl}: PostgreSQL poll only (${'USHER_AUTH_REVOCATION_POLL_INTERVAL'} 500ms)`,
        details: { ...s, missed, natsUp, fellBack },
      },
    ];
  } finally {
    verifier.close();
    a.close();
    b.close();
  }
}
