import { Counter, Histogram, type Registry } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { Caller, ClientMeta, NewUser, TokenPair, User, UsersService } from '../service';

/** Calls and latency of each domain method, by outcome. */
export class MetricsUsers implements UsersService {
  private readonly calls: Counter<'method' | 'outcome'>;
  private readonly latency: Histogram<'method'>;

  constructor(
    private readonly inner: UsersService,
    registry: Registry,
  ) {
    this.calls = new Counter({
      name: 'usher_users_calls_total',
      help: 'users service calls by method and outcome',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'usher_users_call_duration_seconds',
      help: 'users service call latency',
      labelNames: ['method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  private async measure<T>(method: string, work: () => Promise<T>): Promise<T> {
    const end = this.latency.startTimer({ method });
    try {
      const result = await work();
      this.calls.inc({ method, outcome: 'ok' });
      return result;
    } catch (error) {
      this.calls.inc({ method, outcome: error instanceof UsherError ? error.kind : 'internal' });
      throw error;
    } finally {
      end();
    }
  }

  register(caller: Caller | null, user: NewUser): Promise<User> {
    return this.measure('register', () => this.inner.register(caller, user));
  }

  issueToken(identity: string, secret: string, client: ClientMeta): Promise<TokenPair> {
    return this.measure('issue_token', () => this.inner.issueToken(identity, secret, client));
  }

  refreshToken(refreshToken: string, client: ClientMeta): Promise<TokenPair> {
    return this.measure('refresh_token', () => this.inner.refreshToken(refreshToken, client));
  }

  viewProfile(caller: Caller): Promise<User> {
    return this.measure('view_profile', () => this.inner.viewProfile(caller));
  }

  view(caller: Caller, id: string): Promise<User> {
    return this.measure('view', () => this.inner.view(caller, id));
  }
}
