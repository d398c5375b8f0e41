import { randomUUID } from 'crypto';
import { ConfigError, loadAuthConfig, type AuthConfig } from '@usher/config';
import { createLogger, startTracing } from '@usher/telemetry';
import { buildInfo } from './version';

// Only wiring: config -> tracing -> logger -> service; SIGTERM/SIGINT drain gracefully and exit 0.
// Tracing starts before the app module is loaded, so gRPC, http and pg are instrumented as they load.
async function main(): Promise<void> {
  let config: AuthConfig;
  try {
    config = loadAuthConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // One id for this replica in spans, logs, metrics and the revocation fan-out.
  config = { ...config, instanceId: config.instanceId || randomUUID() };
  const tracing = await startTracing({
    serviceName: 'auth',
    version: buildInfo().version,
    instanceId: config.instanceId,
    url: config.jaeger.url,
    ratio: config.jaeger.ratio,
  });
  const logger = createLogger({ service: 'auth', level: config.logLevel, instanceId: config.instanceId });
  let handle: Awaited<ReturnType<typeof import('./app').startAuthService>>;
  try {
    const { startAuthService } = await import('./app');
    handle = await startAuthService(config, { logger });
  } catch (err) {
    logger.fatal({ err }, 'auth service failed to start');
    process.exit(1);
  }
  if (tracing.enabled)
    logger.info({ ratio: config.jaeger.ratio }, 'tracing on: spans go to USHER_JAEGER_URL');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining auth service');
    handle
      .stop()
      // spans of the last calls leave before the process does
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while draining');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
