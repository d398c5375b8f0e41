import { connect } from 'nats';
import { testNatsUrl } from './nats';

export interface CapturedMessage {
  subject: string;
  /** The payload as text. */
  data: string;
  headers: Record<string, string[]>;
}

export interface NatsCapture {
  /** Every message received so far, in order. */
  readonly messages: CapturedMessage[];
  close(): Promise<void>;
}

/**
 * A core NATS subscription that records what passes on `subject` (wildcards allowed): sees
 * JetStream publishes too, without a consumer, for tests that check what went out.
 */
export async function captureNats(subject: string, url = testNatsUrl()): Promise<NatsCapture> {
  const nc = await connect({ servers: url, timeout: 2000 });
  const messages: CapturedMessage[] = [];
  const decoder = new TextDecoder();
  nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      const headers: Record<string, string[]> = {};
      for (const [key, values] of msg.headers ?? []) headers[key] = values;
      messages.push({ subject: msg.subject, data: decoder.decode(msg.data), headers });
    },
  });
  await nc.flush(); // the subscription is registered on the server before the test publishes
  return { messages, close: () => nc.close() };
}
