import { Counter, Histogram, type Registry } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { LockoutStore, LockState, PasswordHasher } from '../ports';
import type { UsersService } from '../service';
import { around, snake } from './around';

/** How a sign-in ended, read from its error kind (none: success); the domain is not touched for this. */
function signInOutcome(error?: unknown): 'success' | 'failure' | 'locked' | 'error' {
  if (error === undefined) return 'success';
  const kind = error instanceof UsherError ? error.kind : 'internal';
  return kind === 'unauthenticated' ? 'failure' : kind === 'locked' ? 'locked' : 'error';
}

/** Calls and latency of each domain method, by outcome; sign-ins by how they ended. */
export function metricsUsers(inner: UsersService, registry: Registry): UsersService {
  const calls = new Counter({
    name: 'usher_users_calls_total',
    help: 'users service calls by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'usher_users_call_duration_seconds',
    help: 'users service call latency',
    labelNames: ['method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'usher_users_signins_total',
    help: 'password sign-ins by outcome: success, failure (wrong identity or secret), locked (refused during a lockout), error',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['success', 'failure', 'locked', 'error']) signIns.inc({ outcome }, 0);
  return around(inner, async (method, call) => {
    const end = latency.startTimer({ method: snake(method) });
    try {
      const result = await call();
      calls.inc({ method: snake(method), outcome: 'ok' });
      if (method === 'issueToken') signIns.inc({ outcome: signInOutcome() });
      return result;
    } catch (error) {
      calls.inc({ method: snake(method), outcome: error instanceof UsherError ? error.kind : 'internal' });
      if (method === 'issueToken') signIns.inc({ outcome: signInOutcome(error) });
      throw error;
    } finally {
      end();
    }
  });
}

/** Counts lockouts as they start: the reservation or failure that locks the key, once per lock. */
export function metricsLockout(inner: LockoutStore, registry: Registry): LockoutStore {
  const lockouts = new Counter({
    name: 'usher_users_lockouts_total',
    help: 'accounts (or unknown identities) locked after too many failed sign-ins',
    registers: [registry],
  });
  const count = (state: LockState) => {
    if (state.started) lockouts.inc();
    return state;
  };
  return {
    lockedUntil: (key) => inner.lockedUntil(key),
    clear: (key) => inner.clear(key),
    reserve: async (key, policy) => count(await inner.reserve(key, policy)),
    recordFailure: async (key, attempt, policy) => count(await inner.recordFailure(key, attempt, policy)),
  };
}

/** Counts the secrets actually compared (bcrypt work): lockout bounds it per identity and window. */
export function metricsHasher(inner: PasswordHasher, registry: Registry): PasswordHasher {
  const compares = new Counter({
    name: 'usher_users_password_compares_total',
    help: 'password hash comparisons performed (sign-in, secret change)',
    registers: [registry],
  });
  return {
    hash: (secret) => inner.hash(secret),
    needsRehash: (hash) => inner.needsRehash(hash),
    compare(secret, hash) {
      compares.inc();
      return inner.compare(secret, hash);
    },
  };
}
