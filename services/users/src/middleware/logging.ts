import type { Logger } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { Caller, ClientMeta, NewUser, TokenPair, User, UsersService } from '../service';

/** One line per domain call: what, who, how long, how it ended. Never secrets or tokens. */
export class LoggingUsers implements UsersService {
  constructor(
    private readonly inner: UsersService,
    private readonly logger: Logger,
  ) {}

  private async log<T>(method: string, fields: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const result = await work();
      this.logger.debug({ method, ...fields, ms: Date.now() - started }, `${method} completed`);
      return result;
    } catch (error) {
      const kind = error instanceof UsherError ? error.kind : 'internal';
      const level = kind === 'internal' || kind === 'unavailable' ? 'error' : 'info';
      this.logger[level](
        { method, ...fields, ms: Date.now() - started, error: (error as Error).message, kind },
        `${method} failed`,
      );
      throw error;
    }
  }

  register(caller: Caller | null, user: NewUser): Promise<User> {
    return this.log('register', { caller: caller?.userId, role: user.role }, () =>
      this.inner.register(caller, user),
    );
  }

  issueToken(identity: string, secret: string, client: ClientMeta): Promise<TokenPair> {
    return this.log('issue_token', { ip: client.ip }, () => this.inner.issueToken(identity, secret, client));
  }

  refreshToken(refreshToken: string, client: ClientMeta): Promise<TokenPair> {
    return this.log('refresh_token', { ip: client.ip }, () => this.inner.refreshToken(refreshToken, client));
  }

  viewProfile(caller: Caller): Promise<User> {
    return this.log('view_profile', { caller: caller.userId }, () => this.inner.viewProfile(caller));
  }

  view(caller: Caller, id: string): Promise<User> {
    return this.log('view', { caller: caller.userId, id }, () => this.inner.view(caller, id));
  }
}
