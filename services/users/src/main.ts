#!/usr/bin/env node
import { randomUUID } from 'crypto';
import { ConfigError, loadUsersConfig, type UsersConfig } from '@usher/config';
import { createLogger, startTracing } from '@usher/telemetry';
import { healthInfo } from './http/health';

// Wiring only: config -> tracing -> service -> signals. Tracing starts before the app module is
// loaded, so http, express, gRPC and pg are instrumented when they are first required.
async function main() {
  let config: UsersConfig;
  try {
    config = loadUsersConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`usher users: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // One id for this replica in spans, logs and metrics.
  config = { ...config, instanceId: config.instanceId || randomUUID() };
  const tracing = await startTracing({
    serviceName: 'users',
    version: healthInfo(config.instanceId).version,
    instanceId: config.instanceId,
    url: config.jaeger.url,
    ratio: config.jaeger.ratio,
  });
  const logger = createLogger({ service: 'users', level: config.logLevel, instanceId: config.instanceId });
  const { startUsersService } = await import('./app');
  const handle = await startUsersService(config, { logger });
  if (tracing.enabled)
    logger.info({ ratio: config.jaeger.ratio }, 'tracing on: spans go to USHER_JAEGER_URL');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    handle
      .stop()
      // spans of the last requests leave before the process does
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('usher users: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
