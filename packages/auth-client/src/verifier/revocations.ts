import type { RevocationBatch__Output } from '@usher/contracts';

/**
 * The revocations a verifier knows: sessions, API keys and per-user "tokens valid after", as
 * streamed by WatchRevocations. Only ever grows (a snapshot from another replica is merged, never
 * trusted to remove anything); entries older than the window the server names are pruned.
 */
export class RevocationSet {
  private readonly sessions = new Map<string, number>();
  private readonly apiKeys = new Map<string, number>();
  /** user id -> tokens_valid_after (unix seconds) and when it was recorded (ms). */
  private readonly users = new Map<string, { validAfter: number; at: number }>();
  private windowMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  apply(batch: RevocationBatch__Output): void {
    if (batch.window_ms > 0) this.windowMs = batch.window_ms;
    for (const r of batch.revocations) {
      if (r.kind === 'session') {
        if (!this.sessions.has(r.subject)) this.sessions.set(r.subject, r.at_ms);
      } else if (r.kind === 'api_key') {
        if (!this.apiKeys.has(r.subject)) this.apiKeys.set(r.subject, r.at_ms);
      } else if (r.kind === 'user') {
        const validAfter = Math.floor(r.at_ms / 1000);
        const known = this.users.get(r.subject);
        if (!known || known.validAfter < validAfter) this.users.set(r.subject, { validAfter, at: r.at_ms });
      }
    }
  }

  /** True when a token of this user and session, issued at `iat` (seconds), is revoked. */
  revoked(userId: string, sessionId: string, iat: number): boolean {
    if (this.sessions.has(sessionId)) return true;
    const user = this.users.get(userId);
    return user !== undefined && iat < user.validAfter;
  }

  isApiKeyRevoked(id: string): boolean {
    return this.apiKeys.has(id);
  }

  prune(): void {
    if (this.windowMs <= 0) return;
    const horizon = this.now() - this.windowMs;
    for (const [id, at] of this.sessions) if (at < horizon) this.sessions.delete(id);
    for (const [id, at] of this.apiKeys) if (at < horizon) this.apiKeys.delete(id);
    for (const [id, v] of this.users) if (v.at < horizon) this.users.delete(id);
  }

  get size(): number {
    return this.sessions.size + this.apiKeys.size + this.users.size;
  }
}
