import type { Logger } from '@usher/telemetry';
import { UsherError } from '../errors';
import type { UsersService } from '../service';
import { around, snake } from './around';

/**
 * One line per domain call: which method, who, how long, how it ended. Arguments are never logged
 * (they may hold secrets); the caller's id comes from the call's context.
 */
export function loggingUsers(inner: UsersService, logger: Logger): UsersService {
  return around(inner, async (method, call) => {
    const started = Date.now();
    try {
      const result = await call();
      logger.debug({ method: snake(method), ms: Date.now() - started }, `${snake(method)} completed`);
      return result;
    } catch (error) {
      const kind = error instanceof UsherError ? error.kind : 'internal';
      const level = kind === 'internal' || kind === 'unavailable' ? 'error' : 'info';
      logger[level](
        { method: snake(method), ms: Date.now() - started, kind, error: (error as Error).message },
        `${snake(method)} failed`,
      );
      throw error;
    }
  });
}
