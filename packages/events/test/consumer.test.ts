import { randomUUID } from 'crypto';
import { connect, headers, type NatsConnection } from 'nats';
import { describeWithNats, testNatsUrl, waitFor } from '@usher/testkit';
import { DLQ_STREAM, ensureUsersStream, startConsumer, type UserEvent } from '../src';

// The consumer SDK against the real JetStream: typed handlers, explicit acks, redelivery, dead
// letters, and a durable position that survives a restart.
describe('consumer SDK', () => {
  let nc: NatsConnection;
  let skip = false;
  beforeAll(async () => {
    if ((await describeWithNats()) === describe.skip) {
      skip = true;
      return;
    }
    nc = await connect({ servers: testNatsUrl() });
    await ensureUsersStream(await nc.jetstreamManager(), { retentionMs: 3600_000 });
  });
  afterAll(async () => nc?.close());

  const publish = async (type: UserEvent['type'], userId: string) => {
    const event: UserEvent = {
      id: randomUUID(),
      type,
      version: 1,
      occurred_at: new Date().toISOString(),
      user: { id: userId },
    };
    const h = headers();
    h.set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    await nc
      .jetstream()
      .publish(`usher.users.${type}`, Buffer.from(JSON.stringify(event)), { msgID: event.id, headers: h });
    return event;
  };

  it('delivers each event to the handler of its type, and a restarted durable continues where it stopped', async () => {
    if (skip) return;
    const durable = `sdk-${randomUUID().slice(0, 8)}`;
    const user = randomUUID();
    const created: UserEvent<'created'>[] = [];
    const roles: string[] = [];
    const first = await startConsumer({
      nats: testNatsUrl(),
      durable,
      startAt: 'new',
      handlers: {
        created: (e) => void created.push(e),
        role_changed: (e) => void roles.push(e.id),
      },
    });
    const a = await publish('created', user);
    const b = await publish('role_changed', user);
    await publish('locked', user); // no handler: acked and skipped
    await waitFor(() => created.length === 1 && roles.length === 1, 10_000);
    expect(created[0]!.id).toBe(a.id);
    expect(roles).toEqual([b.id]);
    await first.stop();

    const c = await publish('created', user); // published while the consumer is down
    const again: string[] = [];
    const second = await startConsumer({
      nats: testNatsUrl(),
      durable,
      handlers: { created: (e) => void again.push(e.id), role_changed: () => undefined },
    });
    await waitFor(() => again.length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(again).toEqual([c.id]); // not a again: the durable remembers
    await second.stop();
  });

  it('redelivers after a handler error and dead-letters after maxDeliver attempts', async () => {
    if (skip) return;
    const durable = `sdk-${randomUUID().slice(0, 8)}`;
    const attempts: number[] = [];
    const flaky: number[] = [];
    const consumer = await startConsumer({
      nats: testNatsUrl(),
      durable,
      startAt: 'new',
      maxDeliver: 3,
      retryDelayMs: 50,
      handlers: {
        disabled: (_e, d) => {
          attempts.push(d.attempt);
          throw new Error('downstream is broken');
        },
        enabled: (_e, d) => {
          flaky.push(d.attempt);
          if (d.attempt < 2) throw new Error('first try fails');
        },
      },
    });
    const jsm = await nc.jetstreamManager();
    const dlqBefore = (await jsm.streams.info(DLQ_STREAM)).state.messages;
    const poison = await publish('disabled', randomUUID());
    await publish('enabled', randomUUID());
    await waitFor(
      async () => (await jsm.streams.info(DLQ_STREAM)).state.messages === dlqBefore + 1,
      15_000,
      100,
    );
    expect(attempts).toEqual([1, 2, 3]);
    await waitFor(() => flaky.length === 2, 10_000);
    expect(flaky).toEqual([1, 2]);
    const dead = await jsm.streams.getMessage(DLQ_STREAM, { last_by_subj: 'usher.dlq.users.disabled' });
    expect(JSON.parse(dead.string()).id).toBe(poison.id);
    expect(dead.header.get('Usher-Dead-Letter-Error')).toBe('downstream is broken');
    expect(dead.header.get('Usher-Attempts')).toBe('3');
    expect(dead.header.get('traceparent')).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
    await consumer.stop();
  });
});
