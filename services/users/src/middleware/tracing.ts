import { SpanStatusCode, trace, type Tracer } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { UsersService } from '../service';
import { around, snake } from './around';

/**
 * One span per domain call (`users.issue_token`, ...) between the HTTP span and the database and
 * gRPC spans under it. Arguments are never recorded (they may hold secrets): only the method and,
 * on failure, the error kind. Expected outcomes (not found, forbidden, ...) leave the status unset.
 */
export function tracingUsers(
  inner: UsersService,
  tracer: Tracer = trace.getTracer('usher-users'),
): UsersService {
  return around(inner, (method, call) =>
    tracer.startActiveSpan(`users.${snake(method)}`, async (span) => {
      try {
        return await call();
      } catch (error) {
        const kind = error instanceof UsherError ? error.kind : 'internal';
        span.setAttribute('usher.error.kind', kind);
        if (kind === 'internal' || kind === 'unavailable') span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}
