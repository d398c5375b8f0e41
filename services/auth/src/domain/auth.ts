import crypto from 'crypto';
import { roleAtLeast, type RoleName } from '@usher/contracts';
import type { Logger } from '@usher/telemetry';
import { AuthenticationError, AuthorizationError, NotFoundError } from '../errors';
import type {
  ApiKeyInfo,
  AuthService,
  CreateApiKeyInput,
  CreatedApiKey,
  IssueInput,
  Jwk,
  Principal,
  RefreshInput,
  RevokeApiKeyInput,
  RevokeSessionInput,
  RevokeUserSessionsInput,
  SessionInfo,
  TokenPair,
} from '../service';
import { ApiKeys, isApiKey, type ApiKeySettings } from './api-keys';
import type { KeyRing } from './keys';
import type { RevocationCache } from './revocation-cache';
import type { RevocationBus } from './revocation-sync';
import type {
  ApiKeyRepository,
  RefreshTokenRecord,
  RevocationEntry,
  RevocationRepository,
  SessionRecord,
  SessionRepository,
} from './repositories';
import {
  decodeHeader,
  generateRefreshToken,
  hashRefreshToken,
  signAccessToken,
  verifyAccessToken,
  type AccessClaims,
} from './tokens';
import { VerifiedTokens } from './verified-tokens';

export interface AuthSettings {
  issuer: string;
  accessTtlMs: number;
  refreshTtlMs: number;
  /** Absolute session lifetime. */
  sessionTtlMs: number;
  /** A session unused (not refreshed) for this long ends. */
  sessionIdleMs: number;
}

export interface AuthDeps {
  keys: KeyRing;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  revocations: RevocationRepository;
  cache: RevocationCache;
  bus: RevocationBus;
  logger: Logger;
  settings: AuthSettings;
  /** Overrides of API_KEY_DEFAULTS. */
  apiKeySettings?: Partial<ApiKeySettings>;
  now?: () => number;
}

const invalidToken = () => new AuthenticationError('invalid or expired token');

/** usher-reason of a refresh refused because its session ended (the session's revoked_reason). */
const endedBecause = (revokedReason: string | null): string =>
  revokedReason === 'session_idle'
    ? 'idle_timeout'
    : revokedReason === 'session_expired' || revokedReason === 'refresh_token_expired'
      ? 'expired'
      : 'session_revoked';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The auth domain: plain code over the key ring, the repositories and the revocation cache. */
export class Auth implements AuthService {
  private readonly now: () => number;
  private readonly s: AuthSettings;
  private readonly verified = new VerifiedTokens();
  private readonly apiKeys: ApiKeys;

  constructor(private readonly deps: AuthDeps) {
    this.now = deps.now ?? Date.now;
    this.s = deps.settings;
    this.apiKeys = new ApiKeys({
      repo: deps.apiKeys,
      revocations: deps.revocations,
      cache: deps.cache,
      publish: (entries) => this.publish(entries),
      logger: deps.logger,
      settings: deps.apiKeySettings,
      now: this.now,
    });
  }

  async issue(input: IssueInput): Promise<TokenPair> {
    const now = this.now();
    const session: SessionRecord = {
      id: crypto.randomUUID(),
      userId: input.userId,
      role: input.role,
      verified: input.verified,
      method: input.method,
      userAgent: input.client.userAgent,
      ip: input.client.ip,
      createdAt: new Date(now),
      lastUsedAt: new Date(now),
      expiresAt: new Date(now + this.s.sessionTtlMs),
      revokedAt: null,
      revokedReason: null,
    };
    const { token, record } = this.newRefreshToken(session, now);
    await this.deps.sessions.create(session, record);
    return this.pair(session, token, record, now);
  }

  async refresh(input: RefreshInput): Promise<TokenPair> {
    const invalid = () => new AuthenticationError('invalid refresh token', { reason: 'invalid' });
    if (!input.refreshToken) throw invalid();
    const now = this.now();
    const spent = await this.deps.sessions.spendRefreshToken(
      hashRefreshToken(input.refreshToken),
      new Date(now),
    );
    if (spent.status === 'unknown') throw invalid();
    if (spent.status === 'spent') {
      const ids = { userId: spent.userId, sessionId: spent.sessionId };
      // Spent, never rotated, and its session already over: a retry of a refresh that failed
      // because the session had ended, not a replay. Answer as that first attempt was answered.
      if (spent.revokedReason && spent.revokedReason !== 'refresh_token_reuse' && !spent.rotated) {
        const reason = endedBecause(spent.revokedReason);
        throw new AuthenticationError('invalid refresh token', { reason, ...ids });
      }
      // A replay: either the token leaked or a client retried. Either way the family is burnt.
      this.deps.logger.warn(
        { security_event: 'refresh_token_reuse', session_id: spent.sessionId, user_id: spent.userId },
        'spent refresh token presented: revoking its session',
      );
      await this.revoke(spent.sessionId, 'refresh_token_reuse');
      throw new AuthenticationError('invalid refresh token', { reason: 'refresh_token_reuse', ...ids });
    }
    const { session, token } = spent;
    const ids = { userId: session.userId, sessionId: session.id };
    if (session.revokedAt) {
      const reason = endedBecause(session.revokedReason);
      throw new AuthenticationError('session revoked', { reason, ...ids });
    }
    const ended = this.endReason(session, token, now);
    if (ended) {
      await this.revoke(session.id, ended);
      throw new AuthenticationError('session expired', { reason: endedBecause(ended), ...ids });
    }
    const next = this.newRefreshToken(session, now);
    const client = input.client && (input.client.userAgent || input.client.ip) ? input.client : undefined;
    if (!(await this.deps.sessions.continueSession(session.id, next.record, new Date(now), client))) {
      throw new AuthenticationError('session revoked', { reason: 'session_revoked', ...ids });
    }
    return this.pair({ ...session, lastUsedAt: new Date(now) }, next.token, next.record, now);
  }

  async authenticate(token: string): Promise<Principal> {
    if (!token) throw new AuthenticationError('missing token');
    if (isApiKey(token)) return this.apiKeys.authenticate(token);
    const now = seconds(this.now());
    const claims = this.verifiedClaims(token, now) ?? (await this.verify(token, now));
    if (this.deps.cache.isSessionRevoked(claims.sid)) throw invalidToken();
    const validAfter = this.deps.cache.validAfter(claims.sub);
    if (validAfter !== undefined && claims.iat < validAfter) throw invalidToken();
    return {
      userId: claims.sub,
      role: claims.role,
      sessionId: claims.sid,
      verified: claims.verified,
      expiresAt: claims.exp,
      tokenId: claims.jti,
      kind: 'access',
      apiKeyId: '',
    };
  }

  /** Claims of a token verified before, while it is unexpired and its key still verifies. */
  private verifiedClaims(token: string, now: number): AccessClaims | undefined {
    const hit = this.verified.get(token);
    if (!hit) return undefined;
    if (now < hit.claims.exp && this.deps.keys.verifyingKey(hit.kid)) return hit.claims;
    this.verified.delete(token);
    return undefined;
  }

  private async verify(token: string, now: number): Promise<AccessClaims> {
    const header = decodeHeader(token);
    if (!header || header.alg !== 'ES256' || typeof header.kid !== 'string') throw invalidToken();
    const key = this.deps.keys.verifyingKey(header.kid) ?? (await this.deps.keys.lookup(header.kid));
    if (!key) throw invalidToken();
    const claims = verifyAccessToken(token, key, this.s.issuer, now);
    if (!claims) throw invalidToken();
    this.verified.add(token, key.kid, claims);
    return claims;
  }

  async authorize(token: string, minRole: RoleName): Promise<Principal> {
    const principal = await this.authenticate(token);
    if (!roleAtLeast(principal.role, minRole))
      throw new AuthorizationError(`role ${minRole} or higher required`);
    return principal;
  }

  async revokeSession(input: RevokeSessionInput): Promise<number> {
    const { found, entries } = await this.deps.revocations.revokeSession(
      input.sessionId,
      input.reason || 'revoked',
      new Date(this.now()),
      input.userId,
    );
    if (!found) throw new NotFoundError('session not found');
    this.publish(entries);
    return entries.length;
  }

  async revokeUserSessions(input: RevokeUserSessionsInput): Promise<number> {
    const now = this.now();
    const entries = await this.deps.revocations.revokeUserSessions(input.userId, {
      exceptSessionId: input.exceptSessionId,
      reason: input.reason || 'revoked',
      at: new Date(now),
      // iat has second granularity: floor, so a sign-in later in this same second still works;
      // tokens issued earlier in this second are caught by their session's own revocation.
      validAfter: input.exceptSessionId ? undefined : new Date(seconds(now) * 1000),
      // keys are revoked one by one (tokens_valid_after never applies to them)
      includeApiKeys: input.includeApiKeys,
    });
    this.publish(entries);
    return entries.filter((e) => e.kind !== 'user').length;
  }

  async listSessions(userId: string): Promise<SessionInfo[]> {
    const now = this.now();
    // a session whose last refresh token expired cannot be continued either
    const idleMs = Math.min(this.s.sessionIdleMs, this.s.refreshTtlMs);
    const rows = await this.deps.sessions.listLive(userId, new Date(now), new Date(now - idleMs));
    return rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      role: r.role,
      method: r.method,
      userAgent: r.userAgent,
      ip: r.ip,
      createdAt: seconds(r.createdAt.getTime()),
      lastUsedAt: seconds(r.lastUsedAt.getTime()),
      expiresAt: seconds(r.expiresAt.getTime()),
      idleExpiresAt: seconds(Math.min(r.lastUsedAt.getTime() + idleMs, r.expiresAt.getTime())),
    }));
  }

  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.apiKeys.create(input);
  }

  listApiKeys(userId: string): Promise<ApiKeyInfo[]> {
    return this.apiKeys.list(userId);
  }

  revokeApiKey(input: RevokeApiKeyInput): Promise<number> {
    return this.apiKeys.revoke(input);
  }

  async jwks(): Promise<Jwk[]> {
    // rare call: read the database so every replica answers with the same set
    await this.deps.keys.reload();
    return this.deps.keys.jwks();
  }

  async rotateSigningKey(): Promise<string> {
    const kid = await this.deps.keys.rotate();
    if (!kid) throw new Error('rotation inserted no key');
    return kid;
  }

  private async revoke(sessionId: string, reason: string): Promise<void> {
    const { entries } = await this.deps.revocations.revokeSession(sessionId, reason, new Date(this.now()));
    this.publish(entries);
  }

  /** Applied here at once, then fanned out; the other replicas' poll catches what NATS loses. */
  private publish(entries: RevocationEntry[]): void {
    if (entries.length === 0) return;
    this.deps.cache.apply(entries);
    this.deps.bus.publish(entries);
  }

  private endReason(session: SessionRecord, token: RefreshTokenRecord, now: number): string | undefined {
    if (now >= session.expiresAt.getTime()) return 'session_expired';
    if (now >= session.lastUsedAt.getTime() + this.s.sessionIdleMs) return 'session_idle';
    if (now >= token.expiresAt.getTime()) return 'refresh_token_expired';
    return undefined;
  }

  private newRefreshToken(
    session: SessionRecord,
    now: number,
  ): { token: string; record: RefreshTokenRecord } {
    const token = generateRefreshToken();
    const expiresAt = Math.min(now + this.s.refreshTtlMs, session.expiresAt.getTime());
    return {
      token,
      record: {
        hash: hashRefreshToken(token),
        sessionId: session.id,
        createdAt: new Date(now),
        expiresAt: new Date(expiresAt),
      },
    };
  }

  private pair(
    session: SessionRecord,
    refreshToken: string,
    refresh: RefreshTokenRecord,
    now: number,
  ): TokenPair {
    const key = this.deps.keys.signingKey();
    // never beyond the session's absolute end, nor its idle end
    const exp = seconds(
      Math.min(now + this.s.accessTtlMs, session.expiresAt.getTime(), now + this.s.sessionIdleMs),
    );
    const accessToken = signAccessToken(key, {
      iss: this.s.issuer,
      sub: session.userId,
      sid: session.id,
      jti: crypto.randomUUID(),
      iat: seconds(now),
      exp,
      type: 'access',
      role: session.role,
      verified: session.verified,
    });
    return {
      accessToken,
      refreshToken,
      accessExpiresAt: exp,
      refreshExpiresAt: seconds(refresh.expiresAt.getTime()),
      sessionId: session.id,
      userId: session.userId,
    };
  }
}
