import type { Logger } from '@usher/telemetry';
import type { RevocationCache } from './revocation-cache';
import type { RevocationEntry, RevocationRepository } from './repositories';

/** Fans revocations out to the other replicas; best effort, the poll is the safety net. */
export interface RevocationBus {
  publish(entries: readonly RevocationEntry[]): void;
}

// A seq can become visible after a higher one (concurrent transactions commit out of order), so
// missing seqs are asked for again for a while; a rolled-back transaction leaves a gap forever.
const GAP_GRACE_MS = 10_000;
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
 * then a poll of `seq > last` (the fallback for when NATS is down or a message was lost).
 */
export class RevocationSync {
  private lastSeq = 0;
  private readonly gaps = new Map<number, number>();
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
    const { entries, lastSeq } = await this.repo.recent(new Date(this.now() - this.options.windowMs));
    this.cache.apply(entries);
    const seen = new Set(entries.map((e) => e.seq));
    for (let seq = Math.max(1, lastSeq - 50); seq <= lastSeq; seq++)
      if (!seen.has(seq)) this.gaps.set(seq, this.now());
    this.lastSeq = lastSeq;
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
    for (;;) {
      const now = this.now();
      for (const [seq, since] of this.gaps) if (now - since > GAP_GRACE_MS) this.gaps.delete(seq);
      const entries = await this.repo.after(this.lastSeq, [...this.gaps.keys()], PAGE);
      this.cache.apply(entries);
      for (const e of entries) {
        this.gaps.delete(e.seq);
        for (let seq = this.lastSeq + 1; seq < e.seq; seq++) this.gaps.set(seq, now);
        if (e.seq > this.lastSeq) this.lastSeq = e.seq;
      }
      if (entries.length < PAGE) break;
    }
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
