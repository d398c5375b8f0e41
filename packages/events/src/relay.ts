import { Client, Pool, type ClientConfig } from 'pg';
import { connect, headers, type NatsConnection } from 'nats';
import { natsConnection, redactUrl } from '@usher/config';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { OUTBOX_CHANNEL } from './outbox';
import { ensureUsersStream } from './stream';

export interface RelayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RelayOptions {
  /** The database holding the outbox (with search_path set to its schema if needed). */
  db: ClientConfig;
  table?: string;
  natsUrl: string;
  retentionMs: number;
  logger: RelayLogger;
  /** Poll interval when no NOTIFY arrives (and when not the leader, how often to try to become it). */
  pollMs?: number;
  batchSize?: number;
  /** Longest pause between attempts while NATS or PostgreSQL fail. */
  maxBackoffMs?: number;
}

export interface RelayStatus {
  leader: boolean;
  natsConnected: boolean;
  published: number;
}

const tracer = trace.getTracer('@usher/events');

/**
 * Publishes the outbox to JetStream in `seq` order and marks rows sent only after the server's ack.
 * With several replicas, the one holding a PostgreSQL advisory lock relays; when it dies its session
 * ends, the lock is free, and another replica takes over. Rows re-published after a crash between
 * ack and mark are dropped by JetStream (Nats-Msg-Id = event id).
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private pool?: Pool;
  private lockClient?: Client;
  private nc?: NatsConnection;
  private streamReady = false;
  private stopped = false;
  private wake?: () => void;
  /** A NOTIFY came while not paused: skip the next pause. */
  private notified = false;
  private loop?: Promise<void>;
  readonly status: RelayStatus = { leader: false, natsConnected: false, published: 0 };

  constructor(private readonly opts: RelayOptions) {
    this.table = opts.table ?? 'outbox';
    this.pollMs = opts.pollMs ?? 1000;
    this.batchSize = opts.batchSize ?? 100;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5000;
  }

  start(): void {
    this.pool = new Pool({ ...this.opts.db, max: 2 });
    this.pool.on('error', () => undefined);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.lockClient?.end().catch(() => undefined);
    await this.nc?.close().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }

  /** Unsent rows and the age of the oldest, for metrics. */
  async backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const { rows } = await this.pool!.query(
      `select count(*)::int as count, coalesce(extract(epoch from now() - min(created_at)), 0)::float as age
         from ${this.table} where sent_at is null`,
    );
    return { count: rows[0].count, oldestAgeSeconds: rows[0].age };
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        if (!(await this.lead())) {
          await this.pause(this.pollMs * 2);
          continue;
        }
        await this.connectNats();
        const sent = await this.drain();
        backoff = 100;
        if (sent < this.batchSize) await this.pause(this.pollMs);
      } catch (error) {
        this.opts.logger.warn(
          { err: (error as Error).message, retry_ms: backoff },
          'outbox relay: waiting to retry',
        );
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  /** Holds the advisory lock on a session of its own (LISTENing there too); true while leader. */
  private async lead(): Promise<boolean> {
    if (this.status.leader && this.lockClient) return true;
    const client = new Client(this.opts.db);
    client.on('error', () => this.dropLeadership());
    await client.connect();
    const { rows } = await client.query(`select pg_try_advisory_lock(hashtext($1)) as ok`, [
      `usher.outbox.${this.table}`,
    ]);
    if (!rows[0].ok) {
      await client.end();
      return false;
    }
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('end', () => this.dropLeadership());
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    this.lockClient = client;
    this.status.leader = true;
    this.opts.logger.info({}, 'outbox relay: leading');
    return true;
  }

  private dropLeadership() {
    if (this.status.leader)
      this.opts.logger.warn({}, 'outbox relay: lost its database session, no longer leading');
    this.status.leader = false;
    this.lockClient = undefined;
    this.wake?.();
  }

  private async connectNats(): Promise<void> {
    if (!this.nc || this.nc.isClosed()) {
      this.streamReady = false;
      this.nc = await connect({
        ...natsConnection(this.opts.natsUrl),
        timeout: 2000,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
      this.opts.logger.info({ url: redactUrl(this.opts.natsUrl) }, 'outbox relay: connected to NATS');
      void (async () => {
        for await (const s of this.nc!.status()) {
          if (s.type === 'disconnect') this.status.natsConnected = false;
          if (s.type === 'reconnect') this.status.natsConnected = true;
        }
      })();
    }
    this.status.natsConnected = true;
    if (!this.streamReady) {
      await ensureUsersStream(await this.nc.jetstreamManager(), { retentionMs: this.opts.retentionMs });
      this.streamReady = true;
    }
  }

  /** Publishes one batch in order; each row is marked sent right after its ack. */
  private async drain(): Promise<number> {
    const { rows } = await this.pool!.query<{
      id: string;
      subject: string;
      payload: unknown;
      trace: Record<string, string>;
    }>(`select id, subject, payload, trace from ${this.table} where sent_at is null order by seq limit $1`, [
      this.batchSize,
    ]);
    const js = this.nc!.jetstream({ timeout: 2000 });
    for (const row of rows) {
      if (this.stopped || !this.status.leader) break;
      const parent = propagation.extract(ROOT_CONTEXT, row.trace ?? {});
      await tracer.startActiveSpan(
        `${row.subject} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.destination.name': row.subject,
            'messaging.message.id': row.id,
          },
        },
        parent,
        async (span) => {
          try {
            const h = headers();
            const carrier: Record<string, string> = {};
            propagation.inject(trace.setSpan(parent, span), carrier);
            for (const [k, v] of Object.entries(carrier)) h.set(k, v);
            await js.publish(row.subject, Buffer.from(JSON.stringify(row.payload)), {
              msgID: row.id,
              headers: h,
            });
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
      await this.pool!.query(`update ${this.table} set sent_at = now() where id = $1`, [row.id]);
      this.status.published++;
    }
    if (rows.length > 0 && Math.random() < 0.05) {
      // Sent rows are kept a day for inspection, then removed so the table stays small.
      await this.pool!.query(`delete from ${this.table} where sent_at < now() - interval '1 day'`);
    }
    return rows.length;
  }

  private pause(ms: number): Promise<void> {
    if (this.notified || this.stopped) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.notified = false;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
