#!/usr/bin/env node
import { ConfigError, loadUsersConfig } from '@usher/config';
import { createLogger } from '@usher/telemetry';
import { startUsersService } from './app';

// Wiring only: config -> service -> signals.
async function main() {
  let config;
  try {
    config = loadUsersConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`usher users: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    service: 'users',
    level: config.logLevel,
    instanceId: config.instanceId || undefined,
  });
  const handle = await startUsersService(config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    handle.stop().then(
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
