import { AuthClientError, type AuthClient } from '@usher/auth-client';
import { AuthenticationError, UnavailableError, UsherError } from '../errors';
import type { ClientMeta, TokenIssuer, TokenPair, User } from '../service';

/** Issues and refreshes tokens through the auth service, translating its failures into domain errors. */
export class GrpcTokenIssuer implements TokenIssuer {
  constructor(private readonly client: AuthClient) {}

  async issue(user: User, client: ClientMeta, method: string): Promise<TokenPair> {
    try {
      const pair = await this.client.issue({
        userId: user.id,
        role: user.role,
        verified: user.verifiedAt !== null,
        client: { user_agent: client.userAgent, ip: client.ip },
        method,
      });
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessType: pair.accessType };
    } catch (error) {
      throw translate(error);
    }
  }

  async refresh(refreshToken: string, client: ClientMeta): Promise<TokenPair> {
    try {
      const pair = await this.client.refresh(refreshToken, { user_agent: client.userAgent, ip: client.ip });
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessType: pair.accessType };
    } catch (error) {
      throw translate(error);
    }
  }
}

export function translate(error: unknown): Error {
  if (!(error instanceof AuthClientError)) return error as Error;
  switch (error.kind) {
    case 'unauthenticated':
    case 'invalid':
    case 'not_found':
      return new AuthenticationError(error.message || 'invalid or expired token');
    case 'unavailable':
      return new UnavailableError('authentication service is unavailable, try again later');
    default:
      return new InternalAuthError(error.message);
  }
}

class InternalAuthError extends UsherError {
  readonly kind = 'internal';
  readonly code = 'internal';
}
