import { AuthClientError, type AuthClient } from '@usher/auth-client';
import { roleFromProto, type RoleName } from '@usher/contracts';
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  UnavailableError,
  UsherError,
  ValidationError,
} from '../errors';
import type { AuthPort, RefreshedClaims, RefreshFailure } from '../ports';
import type { ApiKeyInfo, ClientMeta, NewApiKey, SessionInfo, TokenPair, User } from '../service';

const at = (seconds: number) => new Date(seconds * 1000);

/** The auth service seen from the users domain: calls through the gRPC client, failures as domain errors. */
export class GrpcAuth implements AuthPort {
  constructor(private readonly client: AuthClient) {}

  async issue(user: User, client: ClientMeta, method: string): Promise<TokenPair & { sessionId: string }> {
    const pair = await guard(() =>
      this.client.issue({
        userId: user.id,
        role: user.role,
        verified: user.verifiedAt !== null,
        client: { user_agent: client.userAgent, ip: client.ip },
        method,
      }),
    );
    return {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      accessType: pair.accessType,
      sessionId: pair.sessionId,
    };
  }

  async refresh(refreshToken: string, client: ClientMeta): Promise<TokenPair & RefreshedClaims> {
    const pair = await guard(() =>
      this.client.refresh(refreshToken, { user_agent: client.userAgent, ip: client.ip }),
    );
    const claims = claimsOf(pair.accessToken);
    return {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      accessType: pair.accessType,
      userId: pair.userId,
      sessionId: pair.sessionId || claims.sid,
      role: claims.role,
      verified: claims.verified,
    };
  }

  async listSessions(userId: string): Promise<SessionInfo[]> {
    const sessions = await guard(() => this.client.listSessions(userId));
    return sessions.map((s) => ({
      id: s.id,
      method: s.method,
      userAgent: s.user_agent,
      ip: s.ip,
      createdAt: at(s.created_at),
      lastUsedAt: at(s.last_used_at),
      expiresAt: at(s.expires_at),
      idleExpiresAt: at(s.idle_expires_at),
    }));
  }

  async revokeSession(userId: string, sessionId: string, reason: string): Promise<void> {
    await guard(() => this.client.revokeSession(sessionId, { userId, reason }));
  }

  revokeUserSessions(userId: string, opts: { reason: string; includeApiKeys: boolean }): Promise<number> {
    return guard(() =>
      this.client.revokeUserSessions(userId, { reason: opts.reason, includeApiKeys: opts.includeApiKeys }),
    );
  }

  async createApiKey(
    userId: string,
    role: RoleName,
    verified: boolean,
    name: string,
    expiresInSeconds: number,
  ): Promise<NewApiKey> {
    const k = await guard(() => this.client.createApiKey({ userId, role, verified, name, expiresInSeconds }));
    return { ...toKeyInfo(k), key: k.key };
  }

  async listApiKeys(userId: string): Promise<ApiKeyInfo[]> {
    return (await guard(() => this.client.listApiKeys(userId))).map(toKeyInfo);
  }

  async revokeApiKey(userId: string, id: string): Promise<void> {
    await guard(() => this.client.revokeApiKey(id, userId));
  }
}

function toKeyInfo(k: {
  id: string;
  name: string;
  role: RoleName | string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
}): ApiKeyInfo {
  return {
    id: k.id,
    name: k.name,
    role:
      typeof k.role === 'string' && k.role.startsWith('ROLE_') ? roleFromProto(k.role) : (k.role as RoleName),
    createdAt: at(k.createdAt),
    expiresAt: at(k.expiresAt),
    lastUsedAt: k.lastUsedAt ? at(k.lastUsedAt) : null,
  };
}

/**
 * What an access token just received from the auth service says (its payload, read, not verified:
 * it came over the authenticated gRPC channel, and is only compared with the account).
 */
function claimsOf(accessToken: string): { sid: string; role: RoleName; verified: boolean } {
  try {
    const payload = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      sid?: unknown;
      role?: unknown;
      verified?: unknown;
    };
    if (typeof payload.sid === 'string' && typeof payload.role === 'string')
      return { sid: payload.sid, role: payload.role as RoleName, verified: payload.verified === true };
  } catch {
    // fall through
  }
  throw new InternalAuthError('the auth service answered a refresh with an unreadable access token');
}

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translate(error);
  }
}

/** Auth failures -> domain errors; a refused refresh keeps the auth service's explanation for the audit log. */
export function translate(error: unknown): Error {
  if (!(error instanceof AuthClientError)) return error as Error;
  switch (error.kind) {
    case 'unauthenticated': {
      const e = new AuthenticationError(error.message || 'invalid or expired token');
      if (error.reason) {
        const failure: RefreshFailure = {
          reason: error.reason,
          userId: error.userId,
          sessionId: error.sessionId,
        };
        Object.assign(e, { refreshFailure: failure });
      }
      return e;
    }
    case 'invalid':
      return new ValidationError(error.message);
    case 'not_found':
      return new NotFoundError(error.message || 'not found');
    case 'unavailable':
      return new UnavailableError('authentication service is unavailable, try again later');
    case 'limit_exceeded':
      return new ConflictError(error.message);
    default:
      return new InternalAuthError(error.message);
  }
}

class InternalAuthError extends UsherError {
  readonly kind = 'internal';
  readonly code = 'internal';
}
