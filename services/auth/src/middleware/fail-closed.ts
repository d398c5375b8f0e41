import { Gauge, type Registry } from '@usher/telemetry';
import { UnavailableError } from '../errors';
import type { RoleName } from '@usher/contracts';
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

export interface FreshnessSources {
  /** True while revocations arrive over NATS as they happen. */
  readonly busConnected: () => boolean;
  /** When the last successful poll of PostgreSQL started (ms). */
  readonly lastPollAt: () => number;
  /** How old the poll may be, while NATS is down, before this replica stops vouching (ms). */
  readonly boundMs: number;
  readonly now?: () => number;
}

/** Whether this replica's revocation cache can be trusted right now (issue 15 §3). */
export class RevocationFreshness {
  private readonly now: () => number;
  constructor(private readonly sources: FreshnessSources) {
    this.now = sources.now ?? Date.now;
  }

  /** 0 while NATS delivers; otherwise the age of the last successful poll (ms). */
  stalenessMs(): number {
    if (this.sources.busConnected()) return 0;
    return Math.max(0, this.now() - this.sources.lastPollAt());
  }

  fresh(): boolean {
    return this.stalenessMs() <= this.sources.boundMs;
  }

  registerMetrics(registry: Registry): void {
    const staleness = () => this.stalenessMs();
    const fresh = () => this.fresh();
    new Gauge({
      name: 'usher_auth_revocation_staleness_seconds',
      help: 'how far behind the revocations this replica holds may be: 0 while NATS delivers, else the age of the last good PostgreSQL poll',
      registers: [registry],
      collect() {
        const ms = staleness();
        this.set(Number.isFinite(ms) ? ms / 1000 : Number.MAX_SAFE_INTEGER);
      },
    });
    new Gauge({
      name: 'usher_auth_revocation_fresh',
      help: '1 while this replica can vouch for its revocations; 0 while it fails closed (UNAVAILABLE, health NOT_SERVING)',
      registers: [registry],
      collect() {
        this.set(fresh() ? 1 : 0);
      },
    });
  }
}

/**
 * Fails closed: Authenticate and Authorize answer UNAVAILABLE (the caller retries another replica)
 * while this replica cannot vouch that no revocation escaped it. Everything else passes through.
 */
export class FailClosedAuth implements AuthService {
  constructor(
    private readonly inner: AuthService,
    private readonly freshness: RevocationFreshness,
  ) {}

  private check(): void {
    if (!this.freshness.fresh())
      throw new UnavailableError(
        'revocations on this replica are stale (NATS and the database poll are both behind)',
      );
  }

  authenticate(token: string): Promise<Principal> {
    this.check();
    return this.inner.authenticate(token);
  }
  authorize(token: string, minRole: RoleName): Promise<Principal> {
    this.check();
    return this.inner.authorize(token, minRole);
  }
  issue(input: IssueInput): Promise<TokenPair> {
    return this.inner.issue(input);
  }
  refresh(input: RefreshInput): Promise<TokenPair> {
    return this.inner.refresh(input);
  }
  revokeSession(input: RevokeSessionInput): Promise<number> {
    return this.inner.revokeSession(input);
  }
  revokeUserSessions(input: RevokeUserSessionsInput): Promise<number> {
    return this.inner.revokeUserSessions(input);
  }
  listSessions(userId: string): Promise<SessionInfo[]> {
    return this.inner.listSessions(userId);
  }
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.inner.createApiKey(input);
  }
  listApiKeys(userId: string): Promise<ApiKeyInfo[]> {
    return this.inner.listApiKeys(userId);
  }
  revokeApiKey(input: RevokeApiKeyInput): Promise<number> {
    return this.inner.revokeApiKey(input);
  }
  jwks(): Promise<Jwk[]> {
    return this.inner.jwks();
  }
  rotateSigningKey(): Promise<string> {
    return this.inner.rotateSigningKey();
  }
}
