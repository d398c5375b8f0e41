import crypto from 'crypto';
import type { Jwks__Output } from '@usher/contracts';

/**
 * The auth service's public keys by kid, fetched with GetJwks. An unknown kid triggers one refetch,
 * at most once per `minRefetchMs` however many requests ask: a flood of forged kids costs auth one
 * GetJwks a second. The answer for a kid still unknown after that is "no key" (a plain 401).
 */
export class JwksCache {
  private keys = new Map<string, crypto.KeyObject>();
  private lastFetch = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly fetch: () => Promise<Jwks__Output>,
    private readonly minRefetchMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Fetches now (start, and tests); rejects when auth is unreachable. */
  refresh(): Promise<void> {
    this.inflight ??= (async () => {
      this.lastFetch = this.now();
      const jwks = await this.fetch();
      const next = new Map<string, crypto.KeyObject>();
      for (const k of jwks.keys) {
        if (k.kty !== 'EC' || k.crv !== 'P-256' || (k.alg && k.alg !== 'ES256') || !k.kid) continue;
        const known = this.keys.get(k.kid);
        next.set(
          k.kid,
          known ??
            crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: k.x, y: k.y }, format: 'jwk' }),
        );
      }
      this.keys = next;
    })().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /**
   * The key of `kid`, refetching once if it is unknown and the last fetch is older than the bound.
   * Undefined: no such key (401). Rejects only when the refetch itself failed (auth unreachable).
   */
  async key(kid: string): Promise<crypto.KeyObject | undefined> {
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.inflight) await this.inflight;
    else if (this.now() - this.lastFetch >= this.minRefetchMs) await this.refresh();
    return this.keys.get(kid);
  }

  /** True while `kid` is in the last fetched set (no fetch). */
  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  get size(): number {
    return this.keys.size;
  }
}
