import type { Logger } from '@usher/telemetry';
import { SYSTEM_CTX } from '../domain/owner';
import type { UsersService } from '../service';

/**
 * Hard-deletes users deleted longer than USHER_USERS_DELETE_AFTER, every USHER_USERS_DELETE_INTERVAL.
 * Safe with several replicas: rows are claimed with FOR UPDATE SKIP LOCKED, each goes once.
 */
export function startPurgeJob(
  svc: UsersService,
  logger: Logger,
  options: { intervalMs: number; afterMs: number },
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const purged = await svc.purgeDeleted(
        { ...SYSTEM_CTX, caller: null },
        new Date(Date.now() - options.afterMs),
      );
      if (purged > 0) logger.info({ purged }, 'purged deleted users');
    } catch (error) {
      logger.error({ err: error }, 'purge of deleted users failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), Math.max(1000, options.intervalMs));
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
