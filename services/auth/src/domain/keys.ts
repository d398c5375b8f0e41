import crypto, { type KeyObject } from 'crypto';
import type { Jwk } from '../service';
import type { KeyRepository, SigningKeyRecord } from './repositories';

/** A signing key with its material parsed once: jsonwebtoken is ~15x faster with KeyObjects than PEM. */
export interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Jwk;
  createdAt: number;
  retired: boolean;
  /** ms; Infinity while the key is current. */
  verifyUntil: number;
}

/** RFC 7638 thumbprint of an EC public key: sha256 of its required members in lexicographic order. */
export function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

/** A fresh ES256 (P-256) key, kid = its thumbprint. */
export function generateSigningKey(now: Date): SigningKeyRecord {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const exported = publicKey.export({ format: 'jwk' });
  const base = { kty: 'EC' as const, crv: 'P-256' as const, x: String(exported.x), y: String(exported.y) };
  const kid = thumbprint(base);
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...base, kid, use: 'sig', alg: 'ES256' },
    createdAt: now,
    retiredAt: null,
    verifyUntil: null,
  };
}

export interface KeyRingOptions {
  /** How long a retired key keeps verifying: access TTL + key reload period + clock skew. */
  retiredGraceMs: number;
  /** Unknown kids trigger at most one reload per this many ms (default 100). */
  minReloadGapMs?: number;
  /**
   * The longest an unknown kid waits for a reload (default 200 ms, well inside callers' gRPC
   * deadlines): past it the kid is unknown and the token is refused as invalid (401), never left
   * to run into the caller's deadline (503).
   */
  maxLookupWaitMs?: number;
  now?: () => number;
}

/**
 * The keys this replica signs and verifies with, in memory. Reloaded from the repository
 * periodically and (rate limited) when a token names a kid it has not seen.
 */
export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private current: LoadedKey | undefined;
  private lastReloadStart = 0;
  private pending: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly minGap: number;

  constructor(
    private readonly repo: KeyRepository,
    private readonly options: KeyRingOptions,
  ) {
    this.now = options.now ?? Date.now;
    // an unseen kid may trigger a reload at most this often (the keys table is a handful of rows)
    this.minGap = options.minReloadGapMs ?? 100;
  }

  /** Creates the first key when there is none (lock-guarded in the repository), then loads. */
  async init(): Promise<void> {
    const now = new Date(this.now());
    await this.repo.rotate(generateSigningKey(now), {
      unlessCurrentSince: new Date(0),
      retiredVerifyUntil: new Date(now.getTime() + this.options.retiredGraceMs),
      now,
    });
    await this.reload();
  }

  async reload(): Promise<void> {
    this.lastReloadStart = this.now();
    const records = await this.repo.listVerifying(new Date(this.now()));
    const next = new Map<string, LoadedKey>();
    for (const r of records) next.set(r.kid, load(r, this.keys.get(r.kid)));
    this.keys = next;
    this.current = [...next.values()]
      .filter((k) => !k.retired)
      .sort((a, b) => b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : 1))[0];
  }

  /** Rotates when the current key is older than `maxAgeMs` (or always without it). True when rotated. */
  async rotate(maxAgeMs?: number): Promise<string | undefined> {
    const now = new Date(this.now());
    const key = generateSigningKey(now);
    const rotated = await this.repo.rotate(key, {
      unlessCurrentSince: maxAgeMs === undefined ? undefined : new Date(now.getTime() - maxAgeMs),
      retiredVerifyUntil: new Date(now.getTime() + this.options.retiredGraceMs),
      now,
    });
    await this.reload();
    return rotated ? key.kid : undefined;
  }

  signingKey(): LoadedKey {
    if (!this.current) throw new Error('no current signing key loaded');
    return this.current;
  }

  /** The verifying key for `kid`, if known and inside its window. */
  verifyingKey(kid: string): LoadedKey | undefined {
    const key = this.keys.get(kid);
    return key && key.verifyUntil > this.now() ? key : undefined;
  }

  /**
   * For an unknown kid: waits (at most `maxLookupWaitMs`) for a reload (at most one per
   * `minReloadGapMs`, shared) then looks again.
   */
  async lookup(kid: string): Promise<LoadedKey | undefined> {
    const known = this.verifyingKey(kid);
    if (known) return known;
    const held = Math.max(0, this.lastReloadStart + this.minGap - this.now());
    if (!this.pending) {
      this.pending = new Promise<void>((resolve) => setTimeout(resolve, held).unref())
        .then(() => this.reload())
        .finally(() => (this.pending = undefined));
    }
    // A reload that may start now is awaited (a rotation elsewhere: the new kid must verify); one the
    // rate limit holds back is not: the keys were just read, so the kid is unknown and the answer
    // comes within the budget (401), never past the caller's deadline (503).
    const maxWait = this.options.maxLookupWaitMs ?? 200;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, held > maxWait ? maxWait : Math.max(maxWait, 800));
    });
    await Promise.race([this.pending.catch(() => undefined), budget]);
    clearTimeout(timer);
    return this.verifyingKey(kid);
  }

  jwks(): Jwk[] {
    const now = this.now();
    return [...this.keys.values()].filter((k) => k.verifyUntil > now).map((k) => k.jwk);
  }
}

/** Parses the PEM only the first time a kid is seen; retirement fields are refreshed every load. */
function load(r: SigningKeyRecord, known: LoadedKey | undefined): LoadedKey {
  const privateKey = known?.privateKey ?? crypto.createPrivateKey(r.privateKeyPem);
  return {
    kid: r.kid,
    privateKey,
    publicKey: known?.publicKey ?? crypto.createPublicKey(privateKey),
    jwk: r.publicJwk,
    createdAt: r.createdAt.getTime(),
    retired: r.retiredAt !== null,
    verifyUntil: r.verifyUntil ? r.verifyUntil.getTime() : Infinity,
  };
}
