import type { Logger } from '@usher/telemetry';
import type { RevocationCache } from './revocation-cache';
import type { RevocationCursor, RevocationEntry, RevocationRepository } from './repositories';

/** Fans revocations out to the other replicas; best effort, the poll is the safety net. */
export interface RevocationBus {
  publish(entries: readonly RevocationEntry[]): void;
}

const PAGE = 1000;

export interface RevocationSyncOptions {
  pollMs: number;
  /** How far back the startup load reaches: the access-token lifetime plus skew. */
  windowMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Keeps the revocation cache current from PostgreSQL: a load of the recent revocations at start,
 * then a poll from a cursor no late commit can fall behind (the fallback for when NATS is down or a
 * message was lost). Remembers when it last heard from the database, for the staleness bound.
 */
export class RevocationSync {
  private cursor: RevocationCursor = { txid: '0', seq: 0 };
  private lastSuccess = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;
  private lastPrune = 0;
  private readonly now: () => number;

  constructor(
    private readonly repo: RevocationRepository,
    private readonly cache: RevocationCache,
    private readonly options: RevocationSyncOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async load(): Promise<void> {
    const started = this.now();
    const { entries, cursor } = await this.repo.recent(new Date(started - this.options.windowMs));
    this.cache.apply(entries);
    this.cursor = cursor;
    this.lastSuccess = started;
  }

  /** When the last load or poll that reached the database started (ms); -Infinity before the first. */
  get lastSuccessAt(): number {
    return this.lastSuccess;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One poll; public so tests and callers can force a catch-up. */
  async poll(): Promise<void> {
    // what the database shows is current as of the moment the query started, not when it answered
    const started = this.now();
    for (;;) {
      const page = await this.repo.after(this.cursor, PAGE);
      this.cache.apply(page.entries);
      this.cursor = page.cursor;
      if (page.entries.length < PAGE) break;
    }
    this.lastSuccess = Math.max(this.lastSuccess, started);
    if (this.now() - this.lastPrune > 10_000) {
      this.cache.prune();
      this.lastPrune = this.now();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .then(() => {
          if (this.failing) this.options.logger.info('revocation poll recovered');
          this.failing = false;
        })
        .catch((err: unknown) => {
          // warn once per outage, not every 500 ms
          if (!this.failing) this.options.logger.warn({ err }, 'revocation poll failed; retrying');
          this.failing = true;
        })
        .finally(() => this.schedule());
    }, this.options.pollMs);
    this.timer.unref();
  }
}
