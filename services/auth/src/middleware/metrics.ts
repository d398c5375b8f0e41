import type { RoleName } from '@usher/contracts';
import { Counter, Histogram, type Registry } from '@usher/telemetry';
import { UsherError } from '../errors';
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

/** Counts and times every domain call by operation and outcome (ok or the error kind). */
export class MetricsAuth implements AuthService {
  private readonly calls: Counter<'operation' | 'outcome'>;
  private readonly duration: Histogram<'operation'>;

  constructor(
    private readonly inner: AuthService,
    registry: Registry,
  ) {
    this.calls = new Counter({
      name: 'usher_auth_operations_total',
      help: 'auth domain calls by operation and outcome',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'usher_auth_operation_duration_seconds',
      help: 'auth domain call latency',
      labelNames: ['operation'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
  }

  issue(input: IssueInput): Promise<TokenPair> {
    return this.measure('issue', () => this.inner.issue(input));
  }
  refresh(input: RefreshInput): Promise<TokenPair> {
    return this.measure('refresh', () => this.inner.refresh(input));
  }
  authenticate(token: string): Promise<Principal> {
    return this.measure('authenticate', () => this.inner.authenticate(token));
  }
  authorize(token: string, minRole: RoleName): Promise<Principal> {
    return this.measure('authorize', () => this.inner.authorize(token, minRole));
  }
  revokeSession(input: RevokeSessionInput): Promise<number> {
    return this.measure('revoke_session', () => this.inner.revokeSession(input));
  }
  revokeUserSessions(input: RevokeUserSessionsInput): Promise<number> {
    return this.measure('revoke_user_sessions', () => this.inner.revokeUserSessions(input));
  }
  listSessions(userId: string): Promise<SessionInfo[]> {
    return this.measure('list_sessions', () => this.inner.listSessions(userId));
  }
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.measure('create_api_key', () => this.inner.createApiKey(input));
  }
  listApiKeys(userId: string): Promise<ApiKeyInfo[]> {
    return this.measure('list_api_keys', () => this.inner.listApiKeys(userId));
  }
  revokeApiKey(input: RevokeApiKeyInput): Promise<number> {
    return this.measure('revoke_api_key', () => this.inner.revokeApiKey(input));
  }
  jwks(): Promise<Jwk[]> {
    return this.measure('jwks', () => this.inner.jwks());
  }
  rotateSigningKey(): Promise<string> {
    return this.measure('rotate_signing_key', () => this.inner.rotateSigningKey());
  }

  private async measure<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.duration.startTimer({ operation });
    try {
      const result = await call();
      this.calls.inc({ operation, outcome: 'ok' });
      return result;
    } catch (err) {
      this.calls.inc({ operation, outcome: err instanceof UsherError ? err.kind : 'internal' });
      throw err;
    } finally {
      end();
    }
  }
}
