import { natsConnection } from '@usher/config';
import { AckPolicy, DeliverPolicy, connect, headers, nanos, type JsMsg, type NatsConnection } from 'nats';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { USERS_STREAM, subjectOf, type UserEvent, type UserEventType } from '@usher/contracts';
import { DLQ_SUBJECT_PREFIX, ensureDlqStream } from './stream';

/** What a handler learns about the delivery besides the event. */
export interface Delivery {
  subject: string;
  /** 1 on the first delivery, then 2, 3... after failures. */
  attempt: number;
}

export type EventHandlers = {
  [T in UserEventType]?: (event: UserEvent<T>, delivery: Delivery) => Promise<void> | void;
};

export interface ConsumerOptions {
  /** NATS URL, or a connection the caller owns. */
  nats: string | NatsConnection;
  /** Durable consumer name: its position survives restarts; replicas with the same name share the work. */
  durable: string;
  handlers: EventHandlers;
  /** Deliveries before a message goes to the dead-letter stream (default 5). */
  maxDeliver?: number;
  /** Wait before a failed message is redelivered, growing with each attempt (default 1 s). */
  retryDelayMs?: number;
  /** Ack deadline of one handler call (default 30 s). */
  ackWaitMs?: number;
  /** Where a fresh durable starts: all kept events (default) or only new ones. */
  startAt?: 'all' | 'new';
  onError?: (error: unknown, event: UserEvent | undefined, delivery: Delivery) => void;
}

export interface RunningConsumer {
  /** Stops pulling; messages in flight finish first. */
  stop(): Promise<void>;
}

const tracer = trace.getTracer('@usher/events');

/**
 * A durable JetStream consumer of user events with typed handlers and explicit acks. A handler that
 * throws gets the message again after a delay; after `maxDeliver` attempts the message moves to the
 * dead-letter stream (usher.dlq.users.<type>) with the error, and is acked there. Each handler runs
 * in a CONSUMER span continuing the producer's trace (traceparent header).
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const ownsConnection = typeof options.nats === 'string';
  const nc =
    typeof options.nats === 'string'
      ? await connect({ ...natsConnection(options.nats), maxReconnectAttempts: -1 })
      : options.nats;
  const jsm = await nc.jetstreamManager();
  await ensureDlqStream(jsm);
  const types = Object.keys(options.handlers) as UserEventType[];
  const maxDeliver = options.maxDeliver ?? 5;
  const config = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: maxDeliver + 1, // the last delivery is the one we dead-letter
    // One type: the server filters. Several: every user event comes and unhandled types are acked
    // (filter_subjects needs nats-server 2.10+, which not every deployment runs).
    ...(types.length === 1 ? { filter_subject: subjectOf(types[0]!) } : {}),
    deliver_policy: options.startAt === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
  };
  try {
    await jsm.consumers.info(USERS_STREAM, options.durable);
    await jsm.consumers.update(USERS_STREAM, options.durable, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      ...(config.filter_subject ? { filter_subject: config.filter_subject } : {}),
    });
  } catch (error) {
    if (!/consumer not found/i.test(String((error as Error).message))) throw error;
    await jsm.consumers.add(USERS_STREAM, config);
  }
  const js = nc.jetstream();
  const consumer = await js.consumers.get(USERS_STREAM, options.durable);
  const messages = await consumer.consume({ max_messages: 64 });
  const retryDelay = options.retryDelayMs ?? 1000;

  const handle = async (m: JsMsg) => {
    const delivery: Delivery = { subject: m.subject, attempt: m.info.deliveryCount };
    let event: UserEvent | undefined;
    try {
      event = JSON.parse(m.string()) as UserEvent;
    } catch (error) {
      await deadLetter(m, 'unparseable payload', error);
      return;
    }
    const handler = options.handlers[event.type] as
      ((e: UserEvent, d: Delivery) => Promise<void> | void) | undefined;
    if (!handler) {
      m.ack();
      return;
    }
    const carrier: Record<string, string> = {};
    for (const key of ['traceparent', 'tracestate']) {
      const value = m.headers?.get(key);
      if (value) carrier[key] = value;
    }
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    await tracer.startActiveSpan(
      `${m.subject} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'nats', 'messaging.message.id': event.id },
      },
      parent,
      async (span) => {
        try {
          await context.with(trace.setSpan(parent, span), () => handler(event!, delivery));
          m.ack();
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          options.onError?.(error, event, delivery);
          if (delivery.attempt >= maxDeliver) await deadLetter(m, 'handler failed', error);
          else m.nak(retryDelay * delivery.attempt);
        } finally {
          span.end();
        }
      },
    );
  };

  async function deadLetter(m: JsMsg, reason: string, error: unknown) {
    const h = headers();
    for (const [k, v] of m.headers ?? []) h.set(k, v[0] ?? '');
    h.set('Usher-Dead-Letter-Reason', reason);
    h.set('Usher-Dead-Letter-Error', String((error as Error)?.message ?? error).slice(0, 500));
    h.set('Usher-Original-Subject', m.subject);
    h.set('Usher-Attempts', String(m.info.deliveryCount));
    await js.publish(`${DLQ_SUBJECT_PREFIX}.${m.subject.split('.').pop()}`, m.data, { headers: h });
    m.term(reason);
  }

  const done = (async () => {
    for await (const m of messages) await handle(m);
  })();

  return {
    async stop() {
      await messages.close();
      await done.catch(() => undefined);
      if (ownsConnection) await nc.drain();
    },
  };
}
