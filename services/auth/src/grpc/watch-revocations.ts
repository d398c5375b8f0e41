import type * as grpc from '@grpc/grpc-js';
import type { RevocationBatch, WatchRevocationsRequest } from '@usher/contracts';
import type { Logger } from '@usher/telemetry';
import type { RevocationEntry } from '../domain/repositories';

/** What the stream reads: the replica's revocation cache. */
export interface RevocationFeed {
  readonly windowMs: number;
  snapshot(): RevocationEntry[];
  subscribe(listener: (entries: RevocationEntry[]) => void): () => void;
}

export interface WatchOptions {
  /** An empty batch this often, so a verifier can tell a quiet stream from a dead one. */
  heartbeatMs: number;
  /** False while the replica fails closed: no heartbeat then, so verifiers see the stream stale. */
  fresh: () => boolean;
  logger: Logger;
  /** Open streams, so a draining server can end them (they would hold the drain forever). */
  open: Set<{ end(): void }>;
}

const toMessage = (e: RevocationEntry) => ({ kind: e.kind, subject: e.subject, at_ms: e.at });

/**
 * WatchRevocations: the snapshot first, then every entry that changes this replica's cache (local
 * revokes, NATS, the PostgreSQL poll), then heartbeats. Subscribed before the snapshot is taken,
 * so nothing committed in between is lost (a duplicate is harmless: entries are idempotent).
 */
export function watchRevocationsHandler(
  feed: RevocationFeed,
  options: WatchOptions,
): grpc.handleServerStreamingCall<WatchRevocationsRequest, RevocationBatch> {
  return (call) => {
    const batch = (entries: RevocationEntry[], snapshot: boolean): RevocationBatch => ({
      revocations: entries.map(toMessage),
      snapshot,
      heartbeat_ms: options.heartbeatMs,
      window_ms: feed.windowMs,
    });
    const pending: RevocationEntry[] = [];
    const unsubscribe = feed.subscribe((entries) => {
      pending.push(...entries);
      // coalesce a burst (a revoke-all of many sessions) into one message
      queueMicrotask(flush);
    });
    const flush = () => {
      if (pending.length === 0 || call.cancelled) return;
      call.write(batch(pending.splice(0), false));
    };
    const heartbeat = setInterval(() => {
      if (!call.cancelled && options.fresh()) call.write(batch([], false));
    }, options.heartbeatMs);
    heartbeat.unref();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      options.open.delete(call);
      clearInterval(heartbeat);
      unsubscribe();
    };
    options.open.add(call);
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', (err) => {
      options.logger.debug({ err }, 'revocation watcher went away');
      end();
    });
    call.write(batch(feed.snapshot(), true));
  };
}
