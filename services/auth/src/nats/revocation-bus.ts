import { connect, type NatsConnection } from 'nats';
import { natsConnection, redactUrl } from '@usher/config';
import { z } from 'zod';
import type { Logger } from '@usher/telemetry';
import type { RevocationEntry } from '../domain/repositories';
import type { RevocationBus } from '../domain/revocation-sync';

export const REVOCATIONS_SUBJECT = 'usher.auth.revocations';
const RETRY_MS = 2000;

const Message = z.object({
  origin: z.string(),
  entries: z
    .array(
      z.object({
        seq: z.number().int(),
        kind: z.enum(['session', 'user', 'api_key']),
        subject: z.string().uuid(),
        at: z.number(),
      }),
    )
    .max(10_000),
});

export interface NatsRevocationBusOptions {
  /** Empty: no NATS, the PostgreSQL poll alone spreads revocations. */
  url: string;
  /** This replica, so it can skip its own messages (already applied locally). */
  origin: string;
  onEntries: (entries: RevocationEntry[]) => void;
  logger: Logger;
}

/**
 * Revocations over NATS core: published by the replica that revoked, applied by all others at
 * once. Never blocks startup or requests: connecting (and reconnecting) happens in the background,
 * and a message lost meanwhile is picked up by the poll.
 */
export class NatsRevocationBus implements RevocationBus {
  private nc: NatsConnection | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private warned = false;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(private readonly options: NatsRevocationBusOptions) {}

  start(): void {
    if (!this.options.url) {
      this.options.logger.warn(
        'no NATS URL: revocations reach other replicas through the PostgreSQL poll only',
      );
      return;
    }
    void this.connect();
  }

  get connected(): boolean {
    return !!this.nc && !this.nc.isClosed();
  }

  publish(entries: readonly RevocationEntry[]): void {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    try {
      nc.publish(
        REVOCATIONS_SUBJECT,
        this.encoder.encode(JSON.stringify({ origin: this.options.origin, entries })),
      );
    } catch (err) {
      this.options.logger.debug({ err }, 'revocation publish failed; the poll will carry it');
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const nc = this.nc;
    this.nc = undefined;
    if (nc && !nc.isClosed()) await nc.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { url, logger } = this.options;
    try {
      const nc = await connect({
        ...natsConnection(url),
        name: `usher-auth-${this.options.origin}`,
        timeout: 2000,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1000,
      });
      if (this.stopped) {
        await nc.close();
        return;
      }
      this.nc = nc;
      nc.subscribe(REVOCATIONS_SUBJECT, { callback: (err, msg) => !err && this.receive(msg.data) });
      void this.watch(nc);
      // reconnects are the client's job; only a closed connection (e.g. refused credentials) needs a new one
      void nc.closed().then(() => {
        if (this.stopped || this.nc !== nc) return;
        this.nc = undefined;
        this.options.logger.warn('NATS connection closed: reconnecting in the background');
        this.retry = setTimeout(() => void this.connect(), RETRY_MS);
        this.retry.unref();
      });
      logger.info(
        { nats_url: redactUrl(url) },
        this.warned ? 'NATS reachable again: revocation fan-out resumed' : 'NATS connected',
      );
      this.warned = false;
    } catch (err) {
      if (this.stopped) return;
      if (!this.warned) {
        logger.warn(
          { err, nats_url: redactUrl(url) },
          'NATS is unreachable: revocations spread through the PostgreSQL poll until it answers; retrying in the background',
        );
        this.warned = true;
      }
      this.retry = setTimeout(() => void this.connect(), RETRY_MS);
      this.retry.unref();
    }
  }

  private receive(data: Uint8Array): void {
    let parsed: z.infer<typeof Message>;
    try {
      parsed = Message.parse(JSON.parse(this.decoder.decode(data)));
    } catch {
      this.options.logger.warn('ignoring a malformed message on ' + REVOCATIONS_SUBJECT);
      return;
    }
    if (parsed.origin !== this.options.origin) this.options.onEntries(parsed.entries);
  }

  private async watch(nc: NatsConnection): Promise<void> {
    const { logger } = this.options;
    for await (const s of nc.status()) {
      if (s.type === 'disconnect')
        logger.warn('NATS disconnected: revocations spread through the poll meanwhile');
      else if (s.type === 'reconnect') logger.info('NATS reconnected');
    }
  }
}
