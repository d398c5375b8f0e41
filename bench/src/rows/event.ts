import crypto from 'crypto';
import { performance } from 'perf_hooks';
import { connect, DeliverPolicy, StorageType, type NatsConnection } from 'nats';
import { signUp, type BenchContext } from '../context';
import { met, notAvailable, type Row } from '../report';
import { fmt, fmtRatio, ratio, summarize } from '../stats';

const TARGET = 'p50 <= 3x';

/** `p`, or an error after `ms`: every wait of the row is bounded. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    }),
  ]);
}
const WAIT_MS = 5000;

/**
 * Sign-up -> user event received by a JetStream consumer, vs a raw JetStream publish + ack round
 * trip. Latency runs from the sign-up's HTTP response (the change is committed; its bcrypt hash is
 * behind it) to the consumer receiving the event that carries the new user's id; the end-to-end
 * time from the request is printed beside it.
 */
export async function event(ctx: BenchContext): Promise<Row[]> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: ctx.settings.natsUrl, timeout: 2000, reconnect: false });
  } catch (e) {
    return [
      notAvailable('event', TARGET, `NATS unreachable at ${ctx.settings.natsUrl} (${(e as Error).message})`),
    ];
  }
  try {
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();

    // baseline: publish + ack on a file-backed stream of our own
    const tag = crypto.randomBytes(4).toString('hex').toUpperCase();
    const streamName = `USHER_BENCH_${tag}`;
    const subject = `usher.bench.${tag}`;
    await jsm.streams.add({ name: streamName, subjects: [subject], storage: StorageType.File });
    let publishAck: number[];
    let publishConsumed: number[];
    try {
      const body = JSON.stringify({
        id: crypto.randomUUID(),
        type: 'created',
        user: { id: crypto.randomUUID() },
      });
      for (let i = 0; i < 50; i++) await js.publish(subject, body);
      publishAck = [];
      for (let i = 0; i < (ctx.settings.quick ? 300 : 2000); i++) {
        const t = performance.now();
        await js.publish(subject, body, { msgID: crypto.randomUUID() });
        publishAck.push(performance.now() - t);
      }
      // for reading the row, not the target: publish -> an ordered consumer has it (what Usher's
      // figure includes after the relay's own publish)
      const consumer = await js.consumers.get(streamName, {
        filterSubjects: subject,
        deliver_policy: DeliverPolicy.New,
      });
      const messages = await within(consumer.consume(), WAIT_MS, 'creating a JetStream consumer');
      let arrived: ((at: number) => void) | undefined;
      void (async () => {
        for await (const _m of messages) arrived?.(performance.now());
      })();
      publishConsumed = [];
      for (let i = 0; i < (ctx.settings.quick ? 50 : 300); i++) {
        const t = performance.now();
        const got = new Promise<number | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), WAIT_MS);
          arrived = (at) => (clearTimeout(timer), (arrived = undefined), resolve(at));
        });
        await js.publish(subject, body);
        const at = await got;
        if (at !== undefined) publishConsumed.push(at - t);
      }
      messages.stop();
    } finally {
      await jsm.streams.delete(streamName).catch(() => undefined);
    }
    const base = summarize(publishAck);
    const consumed = summarize(publishConsumed);
    ctx.say(`raw JetStream publish+ack: p50 ${fmt(base.p50)} ms, p99 ${fmt(base.p99)} ms (n=${base.n})`);
    ctx.say(`raw JetStream publish -> consumer: p50 ${fmt(consumed.p50)} ms, p99 ${fmt(consumed.p99)} ms`);

    const stack = await ctx.stack();
    const findStream = async () => jsm.streams.find('usher.users.created').catch(() => undefined);
    let stream = await findStream();
    if (!stream) {
      // a relay may create its stream on first publish
      await signUp(stack.usersUrl, 'ev');
      const deadline = Date.now() + WAIT_MS;
      while (!stream && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        stream = await findStream();
      }
    }
    if (!stream) {
      return [
        notAvailable('event', TARGET, 'no user events published (no stream holds usher.users.created)', {
          baseline: base,
        }),
      ];
    }

    // one filter subject as a string: nats-server 2.9 has no multi-subject filters (the client then waits forever)
    const consumer = await js.consumers.get(stream, {
      filterSubjects: 'usher.users.>',
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await within(consumer.consume(), WAIT_MS, 'creating a JetStream consumer');
    type Arrival = { at: number; subject: string; text: string };
    // messages since the current sign-up began: its event may beat the HTTP response that names the id
    const recent: Arrival[] = [];
    let waiter: { id: string; resolve: (a: Arrival) => void } | undefined;
    void (async () => {
      for await (const m of messages) {
        const a = { at: performance.now(), subject: m.subject, text: m.string() };
        if (waiter && a.text.includes(waiter.id)) waiter.resolve(a);
        else if (recent.length < 10_000) recent.push(a);
      }
    })();
    const signUpAndWait = async () => {
      recent.length = 0;
      const t0 = performance.now();
      const user = await signUp(stack.usersUrl, 'ev');
      const t1 = performance.now();
      const got =
        recent.find((a) => a.text.includes(user.id)) ??
        (await new Promise<Arrival | undefined>((resolve) => {
          const timer = setTimeout(() => ((waiter = undefined), resolve(undefined)), WAIT_MS);
          waiter = { id: user.id, resolve: (a) => (clearTimeout(timer), (waiter = undefined), resolve(a)) };
        }));
      return { t0, t1, got };
    };

    // probe: does a sign-up produce an event at all?
    const probe = await signUpAndWait();
    if (!probe.got) {
      messages.stop();
      return [
        notAvailable(
          'event',
          TARGET,
          `no user events published (stream ${stream}, none within ${WAIT_MS} ms of a sign-up)`,
          { baseline: base },
        ),
      ];
    }

    const fromCommit: number[] = [];
    const endToEnd: number[] = [];
    let missed = 0;
    const subjects = new Set<string>();
    for (let i = 0; i < (ctx.settings.quick ? 10 : 100); i++) {
      const { t0, t1, got } = await signUpAndWait();
      if (!got) {
        missed++;
        continue;
      }
      subjects.add(got.subject);
      fromCommit.push(Math.max(0, got.at - t1));
      endToEnd.push(got.at - t0);
    }
    messages.stop();
    const u = summarize(fromCommit);
    const e2e = summarize(endToEnd);
    const r = ratio(u.p50, base.p50);
    const measured = `p50 ${fmt(u.p50)} ms, p99 ${fmt(u.p99)} ms after the response (n=${u.n}${missed ? `, ${missed} missed` : ''})`;
    ctx.say(
      `usher sign-up -> event: ${measured}; from the request: p50 ${fmt(e2e.p50)} ms, p99 ${fmt(e2e.p99)} ms`,
    );
    return [
      {
        name: 'event',
        measured,
        baseline: `publish+ack p50 ${fmt(base.p50)} ms, p99 ${fmt(base.p99)} ms`,
        ratio: `p50 ${fmtRatio(r)}`,
        target: TARGET,
        met: met(Number.isFinite(r) && !missed ? r <= 3 : undefined),
        note:
          `stream ${stream}, subjects ${[...subjects].join(', ')}; from the sign-up request (bcrypt included): ` +
          `p50 ${fmt(e2e.p50)} ms, p99 ${fmt(e2e.p99)} ms; raw publish -> consumer (no target) p50 ${fmt(consumed.p50)} ms, ` +
          `p99 ${fmt(consumed.p99)} ms`,
        details: {
          fromCommit: u,
          endToEnd: e2e,
          baseline: base,
          publishToConsumer: consumed,
          missed,
          stream,
          subjects: [...subjects],
        },
      },
    ];
  } finally {
    await within(nc.close(), WAIT_MS, 'closing NATS').catch(() => undefined);
  }
}
