import type { AccessClaims } from './tokens';

/**
 * Access tokens whose signature already verified, so a token presented on every request costs a
 * map lookup instead of an ECDSA verify (~60 µs). Only the signature is remembered: expiry, key
 * window and revocation are still checked on every call. Bounded; the oldest entry goes first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { kid: string; claims: AccessClaims }>();

  constructor(private readonly max = 10_000) {}

  get(token: string): { kid: string; claims: AccessClaims } | undefined {
    return this.entries.get(token);
  }

  add(token: string, kid: string, claims: AccessClaims): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { kid, claims });
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}
