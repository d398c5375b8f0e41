import { Gauge, type Logger, type Registry } from '@usher/telemetry';

/**
 * `usher_auth_active_sessions`, counted when Prometheus scrapes and reused for `cacheMs`, so
 * frequent scrapes (or several scrapers) cost one count query per interval at most.
 */
export function activeSessionsGauge(
  registry: Registry,
  count: () => Promise<number>,
  options: { cacheMs?: number; logger: Logger; now?: () => number },
): void {
  const cacheMs = options.cacheMs ?? 5000;
  const now = options.now ?? Date.now;
  let value = 0;
  let countedAt = -Infinity;
  let counting: Promise<void> | undefined;
  const refresh = () =>
    (counting ??= count()
      .then((n) => {
        value = n;
        countedAt = now();
      })
      // a failed count keeps the last value; the database being down shows in other series
      .catch((err: unknown) => options.logger.debug({ err }, 'active session count failed'))
      .finally(() => (counting = undefined)));
  new Gauge({
    name: 'usher_auth_active_sessions',
    help: 'sessions neither revoked nor expired nor idle past the timeout (all replicas)',
    registers: [registry],
    async collect() {
      if (now() - countedAt >= cacheMs) await refresh();
      this.set(value);
    },
  });
}
