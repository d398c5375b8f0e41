import type * as grpc from '@grpc/grpc-js';
import type { RevocationBatch__Output } from '@usher/contracts';
import type { RevocationSet } from './revocations';

export interface StreamOptions {
  open: () => grpc.ClientReadableStream<RevocationBatch__Output>;
  set: RevocationSet;
  now: () => number;
  /** Reconnect delay after a failure: doubles from 50 ms up to this. */
  maxBackoffMs: number;
  onState?: (connected: boolean, err?: Error) => void;
}

/**
 * Keeps one WatchRevocations stream open and reconnects when it ends. `lastHeard` is when the
 * last message (a batch or a heartbeat) arrived after a snapshot; the verifier trusts the set only
 * while that is recent.
 */
export class RevocationStream {
  private call: grpc.ClientReadableStream<RevocationBatch__Output> | undefined;
  private synced = false;
  private lastHeard = Number.NEGATIVE_INFINITY;
  private backoffMs = 50;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: StreamOptions) {}

  start(): void {
    if (this.closed || this.call) return;
    let call: grpc.ClientReadableStream<RevocationBatch__Output>;
    try {
      call = this.options.open();
    } catch (err) {
      // the client was closed under us: nothing left to watch with
      this.options.onState?.(false, err as Error);
      this.closed = true;
      return;
    }
    this.call = call;
    call.on('data', (batch: RevocationBatch__Output) => {
      this.options.set.apply(batch);
      if (batch.snapshot && !this.synced) {
        this.synced = true;
        this.backoffMs = 50;
        this.options.onState?.(true);
        for (const wake of this.waiters.splice(0)) wake();
      }
      if (this.synced) this.lastHeard = this.options.now();
    });
    const down = (err?: Error) => {
      if (this.call !== call) return;
      this.call = undefined;
      this.synced = false;
      if (this.closed) return;
      this.options.onState?.(false, err);
      this.timer = setTimeout(() => this.start(), this.backoffMs);
      this.timer.unref();
      this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
    };
    call.on('error', (err: Error) => down(err));
    call.on('end', () => down());
  }

  /** True while a snapshot has arrived on the open stream and it spoke within `stalenessMs`. */
  fresh(stalenessMs: number): boolean {
    return this.synced && this.options.now() - this.lastHeard <= stalenessMs;
  }

  /** Resolves at the next snapshot (or at once when synced). */
  synced$(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const call = this.call;
    this.call = undefined;
    this.synced = false;
    call?.cancel();
    for (const wake of this.waiters.splice(0)) wake();
  }
}
