import { ConfigError, loadAuthConfig, type AuthConfig } from '@usher/config';
import { createLogger } from '@usher/telemetry';
import { startAuthService } from './app';

// Only wiring: config -> logger -> service; SIGTERM/SIGINT drain gracefully and exit 0.
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
  const logger = createLogger({
    service: 'auth',
    level: config.logLevel,
    instanceId: config.instanceId || undefined,
  });
  let handle: Awaited<ReturnType<typeof startAuthService>>;
  try {
    handle = await startAuthService(config, { logger });
  } catch (err) {
    logger.fatal({ err }, 'auth service failed to start');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining auth service');
    handle.stop().then(
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
