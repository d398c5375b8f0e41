import { Histogram, type Registry } from '@usher/telemetry';
import type { RevocationEntry, RevocationRepository } from '../domain/repositories';
import type { RevocationCache } from '../domain/revocation-cache';

export type LagPath = 'nats' | 'poll';

/**
 * Revocation fan-out lag: from a revocation's `at` to the moment this replica applied it, by the
 * path that brought it first (NATS or the PostgreSQL poll). Entries the replica already holds (its
 * own revocations, or ones that came the other way) are not observed again.
 */
export class RevocationLag {
  private readonly histogram: Histogram<'via'>;

  constructor(
    registry: Registry,
    private readonly cache: RevocationCache,
    private readonly now: () => number = Date.now,
  ) {
    this.histogram = new Histogram({
      name: 'usher_auth_revocation_lag_seconds',
      help: 'time from a revocation to this replica applying it, by the path that delivered it',
      labelNames: ['via'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  /** Call with entries about to be applied to the cache. */
  observe(via: LagPath, entries: readonly RevocationEntry[]): void {
    const now = this.now();
    for (const e of entries) {
      if (this.held(e)) continue;
      // replica clocks differ a little: never a negative lag
      this.histogram.observe({ via }, Math.max(0, now - e.at) / 1000);
    }
  }

  /** The repository as the poll should read it: what `after` brings is observed before it is applied. */
  polled(repo: RevocationRepository): RevocationRepository {
    return new ObservedRevocations(repo, this);
  }

  private held(e: RevocationEntry): boolean {
    if (e.kind === 'session') return this.cache.isSessionRevoked(e.subject);
    if (e.kind === 'api_key') return this.cache.isApiKeyRevoked(e.subject);
    return (this.cache.validAfter(e.subject) ?? -1) >= Math.floor(e.at / 1000);
  }
}

class ObservedRevocations implements RevocationRepository {
  constructor(
    private readonly inner: RevocationRepository,
    private readonly lag: RevocationLag,
  ) {}

  revokeSession(...args: Parameters<RevocationRepository['revokeSession']>) {
    return this.inner.revokeSession(...args);
  }
  revokeUserSessions(...args: Parameters<RevocationRepository['revokeUserSessions']>) {
    return this.inner.revokeUserSessions(...args);
  }
  revokeApiKey(...args: Parameters<RevocationRepository['revokeApiKey']>) {
    return this.inner.revokeApiKey(...args);
  }
  recent(since: Date) {
    return this.inner.recent(since);
  }
  async after(...args: Parameters<RevocationRepository['after']>) {
    const page = await this.inner.after(...args);
    this.lag.observe('poll', page.entries);
    return page;
  }
}
