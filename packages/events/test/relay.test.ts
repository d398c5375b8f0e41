import fs from 'fs';
import os from 'os';
import path from 'path';
import { ROOT_CONTEXT, context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { connect } from 'nats';
import {
  describeWithNats,
  freePort,
  natsServerBinary,
  startNatsServer,
  testNatsUrl,
  waitFor,
} from '@usher/testkit';
import { OutboxRelay } from '../src';
import { collect, outboxDb, quietLogger } from './helpers';

// Events go to a JetStream stream; the tests purge it so counts are this test's own.
async function purgeStream(url: string) {
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.purge('USHER_USERS').catch(() => undefined);
  await nc.close();
}

describe('outbox relay', () => {
  let outbox: Awaited<ReturnType<typeof outboxDb>>;
  beforeEach(async () => {
    outbox = await outboxDb();
  });
  afterEach(async () => {
    await outbox.client.end();
    await outbox.db.drop();
  });

  it('publishes in order with Nats-Msg-Id and traceparent, and marks rows sent after the ack', async () => {
    if ((await describeWithNats()) === describe.skip) return;
    // What the services' OpenTelemetry SDK sets up: W3C propagation and async context.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const withTrace = trace.setSpanContext(ROOT_CONTEXT, {
      traceId,
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    });
    const ids = await context.with(withTrace, async () => [
      await outbox.append('created', 'u1'),
      await outbox.append('email_changed', 'u1'),
      await outbox.append('role_changed', 'u1'),
    ]);
    const sink = await collect(testNatsUrl());
    const relay = new OutboxRelay({
      db: { connectionString: outbox.db.url },
      natsUrl: testNatsUrl(),
      retentionMs: 3600_000,
      logger: quietLogger,
      pollMs: 100,
    });
    relay.start();
    try {
      await waitFor(() => sink.got.filter((g) => ids.includes(g.id)).length === 3, 10_000);
      const mine = sink.got.filter((g) => ids.includes(g.id));
      expect(mine.map((g) => g.id)).toEqual(ids);
      expect(mine.map((g) => g.subject)).toEqual([
        'usher.users.created',
        'usher.users.email_changed',
        'usher.users.role_changed',
      ]);
      for (const g of mine) {
        expect(g.msgId).toBe(g.id);
        expect(g.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      }
      await waitFor(
        async () =>
          (await outbox.client.query('select count(*)::int as n from outbox where sent_at is null')).rows[0]
            .n === 0,
        5000,
      );
      // A row added later goes out at once (NOTIFY), not at the next poll.
      const late = await outbox.append('locked', 'u2');
      await waitFor(() => sink.got.some((g) => g.id === late), 5000);
    } finally {
      await relay.stop();
      await sink.close();
    }
  });

  it('keeps events through a NATS outage and delivers each exactly once, in order, when it returns', async () => {
    const binary = natsServerBinary();
    if (!binary) {
      if (process.env.USHER_TEST_REQUIRE_SERVICES === '1') throw new Error('nats-server binary not found');
      console.warn('[events] skipping the outage test: no nats-server binary (set USHER_TEST_NATS_SERVER)');
      return;
    }
    const port = await freePort();
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-js-'));
    let nats = await startNatsServer(binary, port, { storeDir });
    const relay = new OutboxRelay({
      db: { connectionString: outbox.db.url },
      natsUrl: nats.url,
      retentionMs: 3600_000,
      logger: quietLogger,
      pollMs: 100,
      maxBackoffMs: 300,
    });
    relay.start();
    try {
      const before = [await outbox.append('created', 'a'), await outbox.append('updated', 'a')];
      await waitFor(
        async () =>
          (await outbox.client.query('select count(*)::int as n from outbox where sent_at is null')).rows[0]
            .n === 0,
        10_000,
      );
      await nats.stop(); // NATS goes away: the service keeps writing events
      const during: string[] = [];
      for (let i = 0; i < 20; i++)
        during.push(await outbox.append(i % 2 ? 'updated' : 'tags_changed', `u${i % 3}`));
      await new Promise((r) => setTimeout(r, 500));
      expect(
        (await outbox.client.query('select count(*)::int as n from outbox where sent_at is null')).rows[0].n,
      ).toBe(20);
      nats = await startNatsServer(binary, port, { storeDir }); // back, with its stored stream
      await waitFor(
        async () =>
          (await outbox.client.query('select count(*)::int as n from outbox where sent_at is null')).rows[0]
            .n === 0,
        20_000,
        100,
      );
      // Read the whole stream back: every id once, in the order written.
      const nc = await connect({ servers: nats.url });
      const js = nc.jetstream();
      const ids: string[] = [];
      const consumer = await js.consumers.get('USHER_USERS');
      const batch = await consumer.fetch({ max_messages: 100, expires: 2000 });
      for await (const m of batch) {
        ids.push(JSON.parse(m.string()).id);
        if (ids.length === 22) break;
      }
      await nc.close();
      expect(ids).toEqual([...before, ...during]);
      expect(new Set(ids).size).toBe(22);
    } finally {
      await relay.stop();
      await nats.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    }
  });

  it('relays from one replica at a time; another takes over when the leader stops', async () => {
    if ((await describeWithNats()) === describe.skip) return;
    await purgeStream(testNatsUrl());
    const make = () =>
      new OutboxRelay({
        db: { connectionString: outbox.db.url },
        natsUrl: testNatsUrl(),
        retentionMs: 3600_000,
        logger: quietLogger,
        pollMs: 100,
      });
    const a = make();
    const b = make();
    a.start();
    await waitFor(() => a.status.leader, 5000);
    b.start();
    const sink = await collect(testNatsUrl());
    try {
      const first = await outbox.append('created', 'x');
      await waitFor(() => sink.got.some((g) => g.id === first), 5000);
      expect(b.status.leader).toBe(false);
      // The relay counts a row once it is marked sent, just after the ack: wait for that, not the message.
      await waitFor(() => a.status.published === 1, 5000);
      await a.stop(); // the leader dies: its advisory lock goes with its session
      const second = await outbox.append('updated', 'x');
      await waitFor(() => sink.got.some((g) => g.id === second), 10_000);
      expect(b.status.leader).toBe(true);
      expect(sink.got.filter((g) => g.id === first || g.id === second)).toHaveLength(2);
    } finally {
      await a.stop(); // again, when an assertion failed before it: no loop may outlive the test
      await b.stop();
      await sink.close();
    }
  });
});
