import { roleAtLeast } from '@usher/contracts';
import { AuthenticationError, AuthorizationError } from '../errors';
import type { Caller, ClientMeta, NewUser, TokenPair, User, UsersService } from '../service';

export interface AuthorizationOptions {
  /** USHER_USERS_ALLOW_SELF_REGISTER */
  allowSelfRegister: boolean;
}

/** Who may do what: every rule about callers and roles lives here, not in the domain. */
export class AuthorizedUsers implements UsersService {
  constructor(
    private readonly inner: UsersService,
    private readonly options: AuthorizationOptions,
  ) {}

  register(caller: Caller | null, user: NewUser): Promise<User> {
    if (caller && roleAtLeast(caller.role, 'admin')) {
      // Admins create accounts with roles up to their own: an admin cannot make an owner.
      if (!roleAtLeast(caller.role, user.role)) {
        return Promise.reject(
          new AuthorizationError(`an ${caller.role} cannot assign the role ${user.role}`),
        );
      }
      return this.inner.register(caller, user);
    }
    if (!this.options.allowSelfRegister) {
      return Promise.reject(
        caller
          ? new AuthorizationError('self-registration is disabled: only admins create users')
          : new AuthenticationError('self-registration is disabled: sign in as an admin to create users'),
      );
    }
    // Self-registration: always an enabled viewer, whatever the body asked for.
    return this.inner.register(null, { ...user, role: 'viewer', status: 'enabled' });
  }

  issueToken(identity: string, secret: string, client: ClientMeta): Promise<TokenPair> {
    return this.inner.issueToken(identity, secret, client);
  }

  refreshToken(refreshToken: string, client: ClientMeta): Promise<TokenPair> {
    return this.inner.refreshToken(refreshToken, client);
  }

  viewProfile(caller: Caller): Promise<User> {
    return this.inner.viewProfile(caller);
  }

  view(caller: Caller, id: string): Promise<User> {
    if (caller.userId !== id && !roleAtLeast(caller.role, 'admin')) {
      return Promise.reject(new AuthorizationError('only admins view other users'));
    }
    return this.inner.view(caller, id);
  }
}
