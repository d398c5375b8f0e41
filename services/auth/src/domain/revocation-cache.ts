import type { RevocationEntry } from './repositories';

/**
 * Revoked sessions, API keys and per-user tokens_valid_after, in memory, so Authenticate never
 * touches the database. Entries older than the access-token lifetime are dropped: every token they
 * could refuse has expired by then, and every API key they could refuse has left the verified-key
 * cache (whose lifetime is far shorter) and is read again with its revoked_at.
 */
/** How far ahead of this replica's clock a revocation may be dated; later dates are clamped to it. */
export const MAX_FUTURE_SKEW_MS = 5_000;

export class RevocationCache {
  private readonly sessions = new Map<string, number>();
  private readonly apiKeys = new Map<string, number>();
  /** user id -> tokens_valid_after in unix seconds, with the ms it was recorded at for pruning. */
  private readonly users = new Map<string, { validAfter: number; at: number }>();

  private readonly listeners = new Set<(entries: RevocationEntry[]) => void>();

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxFutureMs = MAX_FUTURE_SKEW_MS,
  ) {}

  /**
   * Idempotent: the same entry may arrive over NATS, the poll and the local revoke. An entry dated
   * beyond now + the skew bound is clamped to it, so a forged or skewed message cannot refuse a
   * user's tokens (or pin an entry in memory) for longer than that.
   */
  apply(entries: readonly RevocationEntry[]): void {
    const now = this.now();
    const horizon = now - this.windowMs;
    const latest = now + this.maxFutureMs;
    const fresh: RevocationEntry[] = [];
    for (const entry of entries) {
      const e = entry.at > latest ? { ...entry, at: latest } : entry;
      if (e.at < horizon) continue;
      if (e.kind === 'session') {
        if (this.sessions.has(e.subject)) continue;
        this.sessions.set(e.subject, e.at);
      } else if (e.kind === 'api_key') {
        if (this.apiKeys.has(e.subject)) continue;
        this.apiKeys.set(e.subject, e.at);
      } else {
        const validAfter = Math.floor(e.at / 1000);
        const known = this.users.get(e.subject);
        if (known && known.validAfter >= validAfter) continue;
        this.users.set(e.subject, { validAfter, at: e.at });
      }
      fresh.push(e);
    }
    if (fresh.length > 0) for (const listener of this.listeners) listener(fresh);
  }

  /** Calls `listener` with each batch of entries that changed the cache; returns the unsubscribe. */
  subscribe(listener: (entries: RevocationEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every entry held now (seq 0: the cache does not keep it), for a verifier's first snapshot. */
  snapshot(): RevocationEntry[] {
    const out: RevocationEntry[] = [];
    for (const [subject, at] of this.sessions) out.push({ seq: 0, kind: 'session', subject, at });
    for (const [subject, at] of this.apiKeys) out.push({ seq: 0, kind: 'api_key', subject, at });
    for (const [subject, v] of this.users) out.push({ seq: 0, kind: 'user', subject, at: v.at });
    return out;
  }

  isSessionRevoked(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  isApiKeyRevoked(id: string): boolean {
    return this.apiKeys.has(id);
  }

  /** Tokens of this user issued (iat, seconds) before the returned value are refused. */
  validAfter(userId: string): number | undefined {
    return this.users.get(userId)?.validAfter;
  }

  prune(): void {
    const horizon = this.now() - this.windowMs;
    for (const [id, at] of this.sessions) if (at < horizon) this.sessions.delete(id);
    for (const [id, at] of this.apiKeys) if (at < horizon) this.apiKeys.delete(id);
    for (const [id, v] of this.users) if (v.at < horizon) this.users.delete(id);
  }

  get size(): { sessions: number; users: number; apiKeys: number } {
    return { sessions: this.sessions.size, users: this.users.size, apiKeys: this.apiKeys.size };
  }
}
