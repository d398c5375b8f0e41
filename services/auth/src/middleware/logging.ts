import type { RoleName } from '@usher/contracts';
import type { Logger } from '@usher/telemetry';
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

/**
 * One line per call with ids and outcome, never a token. Authenticate/Authorize run on every
 * request of every service, so they log at debug.
 */
export class LoggingAuth implements AuthService {
  constructor(
    private readonly inner: AuthService,
    private readonly logger: Logger,
  ) {}

  issue(input: IssueInput): Promise<TokenPair> {
    return this.log('issue', 'info', { user_id: input.userId, role: input.role, method: input.method }, () =>
      this.inner.issue(input),
    );
  }

  refresh(input: RefreshInput): Promise<TokenPair> {
    return this.log('refresh', 'info', {}, () => this.inner.refresh(input));
  }

  authenticate(token: string): Promise<Principal> {
    return this.log('authenticate', 'debug', {}, () => this.inner.authenticate(token));
  }

  authorize(token: string, minRole: RoleName): Promise<Principal> {
    return this.log('authorize', 'debug', { min_role: minRole }, () => this.inner.authorize(token, minRole));
  }

  revokeSession(input: RevokeSessionInput): Promise<number> {
    const fields = { session_id: input.sessionId, user_id: input.userId, reason: input.reason };
    return this.log('revoke_session', 'info', fields, () => this.inner.revokeSession(input));
  }

  revokeUserSessions(input: RevokeUserSessionsInput): Promise<number> {
    const fields = {
      user_id: input.userId,
      except_session_id: input.exceptSessionId,
      reason: input.reason,
      include_api_keys: !!input.includeApiKeys,
    };
    return this.log('revoke_user_sessions', 'info', fields, () => this.inner.revokeUserSessions(input));
  }

  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const fields = { user_id: input.userId, role: input.role, expires_in_seconds: input.expiresInSeconds };
    return this.log('create_api_key', 'info', fields, () => this.inner.createApiKey(input));
  }

  listApiKeys(userId: string): Promise<ApiKeyInfo[]> {
    return this.log('list_api_keys', 'debug', { user_id: userId }, () => this.inner.listApiKeys(userId));
  }

  revokeApiKey(input: RevokeApiKeyInput): Promise<number> {
    const fields = { api_key_id: input.id, user_id: input.userId, reason: input.reason };
    return this.log('revoke_api_key', 'info', fields, () => this.inner.revokeApiKey(input));
  }

  listSessions(userId: string): Promise<SessionInfo[]> {
    return this.log('list_sessions', 'debug', { user_id: userId }, () => this.inner.listSessions(userId));
  }

  jwks(): Promise<Jwk[]> {
    return this.log('jwks', 'debug', {}, () => this.inner.jwks());
  }

  rotateSigningKey(): Promise<string> {
    return this.log('rotate_signing_key', 'info', {}, () => this.inner.rotateSigningKey());
  }

  private async log<T>(
    operation: string,
    level: 'info' | 'debug',
    fields: Record<string, unknown>,
    call: () => Promise<T>,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    try {
      const result = await call();
      if (this.logger.isLevelEnabled(level)) {
        this.logger[level](
          { operation, ...fields, ...outcome(result), duration_ms: ms() },
          `auth ${operation}`,
        );
      }
      return result;
    } catch (err) {
      // expected failures (bad token, not found...) stay at the call's level; the gRPC edge logs the rest
      if (err instanceof UsherError && this.logger.isLevelEnabled(level)) {
        this.logger[level](
          { operation, ...fields, error: err.kind, reason: err.message, duration_ms: ms() },
          `auth ${operation} failed`,
        );
      }
      throw err;
    }
  }
}

/** The ids worth a log line from a result; never the tokens themselves. */
function outcome(result: unknown): Record<string, unknown> {
  if (typeof result === 'number') return { count: result };
  if (typeof result === 'string') return { kid: result };
  if (Array.isArray(result)) return { count: result.length };
  if (result && typeof result === 'object') {
    if ('apiKey' in result) return { api_key_id: (result as CreatedApiKey).apiKey.id }; // never .key
    const r = result as Partial<TokenPair & Principal>;
    return {
      ...(r.sessionId ? { session_id: r.sessionId } : {}),
      ...(r.userId ? { user_id: r.userId } : {}),
      ...(r.apiKeyId ? { api_key_id: r.apiKeyId } : {}),
    };
  }
  return {};
}
