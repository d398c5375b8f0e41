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
    const { entries, horizon } = await this.repo.recent(new Date(started - this.options.windowMs));
    this.cache.apply(entries);
    this.cursor = { txid: horizon, seq: 0 };
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
    // Read everything visible beyond the cursor (a revocation counts as soon as it commits), but
    // keep the cursor at the first page's horizon: a transaction still running there may commit a
    // row behind what was read, and the next poll reads from the cursor again. Nothing is skipped,
    // however late it commits; rows are re-read (idempotently) while a transaction stays open.
    let position = this.cursor;
    let horizon: string | undefined;
    for (;;) {
      const page = await this.repo.after(position, PAGE);
      horizon ??= page.horizon;
      this.cache.apply(page.entries);
      if (page.entries.length < PAGE || !page.last) break;
      position = page.last;
    }
    if (horizon !== undefined && BigInt(horizon) > BigInt(this.cursor.txid))
      this.cursor = { txid: horizon, seq: 0 };
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
