import { Counter, Histogram, type Registry } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { UsersService } from '../service';
import { around, snake } from './around';

/** Calls and latency of each domain method, by outcome. */
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
  return around(inner, async (method, call) => {
    const end = latency.startTimer({ method: snake(method) });
    try {
      const result = await call();
      calls.inc({ method: snake(method), outcome: 'ok' });
      return result;
    } catch (error) {
      calls.inc({ method: snake(method), outcome: error instanceof UsherError ? error.kind : 'internal' });
      throw error;
    } finally {
      end();
    }
  });
}
