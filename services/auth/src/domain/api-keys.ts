import crypto from 'crypto';
import type { Logger } from '@usher/telemetry';
import { AuthenticationError, LimitExceededError, NotFoundError, ValidationError } from '../errors';
import type { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey, Principal, RevokeApiKeyInput } from '../service';
import type { RevocationCache } from './revocation-cache';
import type { ApiKeyRecord, ApiKeyRepository, RevocationEntry, RevocationRepository } from './repositories';

/** What makes a key recognisable (to Authenticate, and to secret scanners). */
export const API_KEY_PREFIX = 'usher_pat_';
// prefix, the key id as 32 hex digits, "_", 32 random bytes in base64url
const KEY_FORMAT = /^usher_pat_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const DAY_MS = 86_400_000;

export interface ApiKeySettings {
  /** Lifetime when the caller asks for 0. */
  defaultTtlMs: number;
  maxTtlMs: number;
  maxLivePerUser: number;
  /**
   * How long a key read from the database is trusted without reading it again. Must stay well
   * under the revocation cache's window: revocations reach a replica through that cache, and a
   * key cached from a read that raced its revocation is refused only while the entry is there.
   */
  cacheTtlMs: number;
  /** last_used_at is written at most this often per key and replica. */
  touchEveryMs: number;
}

export const API_KEY_DEFAULTS: ApiKeySettings = {
  defaultTtlMs: 90 * DAY_MS,
  maxTtlMs: 365 * DAY_MS,
  maxLivePerUser: 100,
  cacheTtlMs: 10_000,
  touchEveryMs: 60_000,
};

export const isApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

const hashSecret = (secret: string): Buffer => crypto.createHash('sha256').update(secret).digest();

/** A new key for `id` and what is stored instead of it. */
export function generateApiKey(id: string): { key: string; secretHash: string } {
  const secret = crypto.randomBytes(32).toString('base64url');
  return {
    key: `${API_KEY_PREFIX}${id.replace(/-/g, '')}_${secret}`,
    secretHash: hashSecret(secret).toString('hex'),
  };
}

/** The key id (a UUID) and secret of a well-formed key, or undefined. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = KEY_FORMAT.exec(key);
  if (!m) return undefined;
  const hex = m[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: m[2]! };
}

/** Constant time: the comparison takes as long whatever prefix of the hash matches. */
export function secretMatches(secret: string, storedHashHex: string): boolean {
  const stored = Buffer.from(storedHashHex, 'hex');
  const given = hashSecret(secret);
  return stored.length === given.length && crypto.timingSafeEqual(stored, given);
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const invalidKey = () => new AuthenticationError('invalid or expired token');

export const toApiKeyInfo = (r: ApiKeyRecord): ApiKeyInfo => ({
  id: r.id,
  userId: r.userId,
  name: r.name,
  role: r.role,
  createdAt: seconds(r.createdAt.getTime()),
  expiresAt: seconds(r.expiresAt.getTime()),
  lastUsedAt: r.lastUsedAt ? seconds(r.lastUsedAt.getTime()) : 0,
});

export interface ApiKeysDeps {
  repo: ApiKeyRepository;
  revocations: RevocationRepository;
  cache: RevocationCache;
  /** Applies revocations locally and fans them out (Auth.publish). */
  publish: (entries: RevocationEntry[]) => void;
  logger: Logger;
  settings?: Partial<ApiKeySettings>;
  now: () => number;
}

interface CachedKey {
  record: ApiKeyRecord;
  /** When the read that produced `record` started (ms). */
  readAt: number;
  /** Last use written (or found) in the database (ms). */
  touchedAt: number;
}

/**
 * API keys (personal access tokens): created, listed, revoked and verified. Used by `Auth`; a key
 * is revoked through the same revocations table and fan-out as a session.
 */
export class ApiKeys {
  private readonly s: ApiKeySettings;
  /** Verified-key cache by key id: no secret is held, only its hash. Bounded, oldest out first. */
  private readonly known = new Map<string, CachedKey>();
  private readonly max = 10_000;

  constructor(private readonly deps: ApiKeysDeps) {
    this.s = { ...API_KEY_DEFAULTS, ...deps.settings };
  }

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const ttlMs = this.ttlMs(input.expiresInSeconds);
    const now = this.deps.now();
    const id = crypto.randomUUID();
    const { key, secretHash } = generateApiKey(id);
    const record: ApiKeyRecord = {
      id,
      userId: input.userId,
      name: input.name,
      role: input.role,
      verified: input.verified,
      secretHash,
      createdAt: new Date(now),
      expiresAt: new Date(now + ttlMs),
      lastUsedAt: null,
      revokedAt: null,
    };
    if (!(await this.deps.repo.create(record, this.s.maxLivePerUser))) {
      throw new LimitExceededError(
        `a user may hold at most ${this.s.maxLivePerUser} live API keys: revoke one first`,
      );
    }
    return { apiKey: toApiKeyInfo(record), key };
  }

  async list(userId: string): Promise<ApiKeyInfo[]> {
    return (await this.deps.repo.listLive(userId, new Date(this.deps.now()))).map(toApiKeyInfo);
  }

  async revoke(input: RevokeApiKeyInput): Promise<number> {
    const { found, entries } = await this.deps.revocations.revokeApiKey(
      input.id,
      input.userId,
      input.reason || 'revoked',
      new Date(this.deps.now()),
    );
    if (!found) throw new NotFoundError('api key not found');
    this.known.delete(input.id);
    this.deps.publish(entries);
    return 1;
  }

  async authenticate(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw invalidKey();
    const now = this.deps.now();
    const entry = await this.lookup(parsed.id, now);
    const r = entry?.record;
    if (!r || !secretMatches(parsed.secret, r.secretHash)) throw invalidKey();
    if (r.revokedAt || this.deps.cache.isApiKeyRevoked(r.id) || now >= r.expiresAt.getTime()) {
      throw invalidKey();
    }
    this.touch(entry, now);
    return {
      userId: r.userId,
      role: r.role,
      sessionId: '',
      verified: r.verified,
      expiresAt: seconds(r.expiresAt.getTime()),
      tokenId: r.id,
      kind: 'api_key',
      apiKeyId: r.id,
    };
  }

  private ttlMs(expiresInSeconds: number): number {
    const field = 'expires_in_seconds';
    if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 0)
      throw new ValidationError(field, 'expected a whole number of seconds, 0 for the default');
    if (expiresInSeconds === 0) return this.s.defaultTtlMs;
    if (expiresInSeconds * 1000 > this.s.maxTtlMs)
      throw new ValidationError(field, `at most ${seconds(this.s.maxTtlMs)} seconds`);
    return expiresInSeconds * 1000;
  }

  /** The key from the cache while fresh, else from the database (revoked and expired ones too). */
  private async lookup(id: string, now: number): Promise<CachedKey | undefined> {
    const cached = this.known.get(id);
    if (cached && now - cached.readAt < this.s.cacheTtlMs) return cached;
    const record = await this.deps.repo.find(id);
    if (!record) {
      this.known.delete(id);
      return undefined;
    }
    const touchedAt = Math.max(cached?.touchedAt ?? 0, record.lastUsedAt?.getTime() ?? 0);
    const entry: CachedKey = { record, readAt: now, touchedAt };
    this.known.delete(id);
    if (this.known.size >= this.max) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(id, entry);
    return entry;
  }

  /** Fire and forget, at most once per `touchEveryMs`: a use never waits on a write. */
  private touch(entry: CachedKey, now: number): void {
    if (now - entry.touchedAt < this.s.touchEveryMs) return;
    entry.touchedAt = now;
    this.deps.repo
      .touch(entry.record.id, new Date(now))
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, api_key_id: entry.record.id }, 'api key touch failed'),
      );
  }
}
