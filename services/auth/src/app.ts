import crypto from 'crypto';
import type http from 'http';
import type { DataSource } from 'typeorm';
import { SecretBox, type AuthConfig } from '@usher/config';
import { createLogger, createRegistry, Gauge, type Logger, type Registry } from '@usher/telemetry';
import { Auth } from './domain/auth';
import { KeyRing } from './domain/keys';
import { RevocationCache } from './domain/revocation-cache';
import { RevocationSync } from './domain/revocation-sync';
import { SealedKeyRepository } from './domain/sealed-keys';
import { serverCredentials } from './grpc/credentials';
import { bindGrpc, createGrpcServer, type GrpcServer } from './grpc/server';
import { createHttpServer, listen } from './http/server';
import { activeSessionsGauge } from './middleware/active-sessions';
import { LoggingAuth } from './middleware/logging';
import { MetricsAuth } from './middleware/metrics';
import { FailClosedAuth, RevocationFreshness } from './middleware/fail-closed';
import { RevocationLag } from './middleware/revocation-lag';
import { NatsRevocationBus } from './nats/revocation-bus';
import { PostgresApiKeyRepository } from './postgres/api-key-repository';
import { openDatabase } from './postgres/data-source';
import { PostgresKeyRepository } from './postgres/key-repository';
import { PostgresRevocationRepository } from './postgres/revocation-repository';
import { countActiveSessions } from './postgres/session-count';
import { PostgresSessionRepository } from './postgres/session-repository';
import type { AuthService } from './service';
import { buildInfo } from './version';

// Clocks of replicas and callers disagree a little; windows that bound revocations get this much slack.
const CLOCK_SKEW_MS = 30_000;

export interface StartOptions {
  logger?: Logger;
  /** One per replica: the service registers its metrics in it. */
  registry?: Registry;
  /** How often keys are reloaded from the database (default 30 s); also bounds key-rotation checks. */
  keyReloadMs?: number;
  /** How long stop() lets in-flight calls finish before cutting them (default 10 s). */
  drainTimeoutMs?: number;
}

export interface AuthServiceHandle {
  /** The real ports (config port 0 means ephemeral). */
  grpcPort: number;
  httpPort: number;
  instanceId: string;
  /** The decorated domain service, for in-process callers. */
  service: AuthService;
  /** Graceful: health NOT_SERVING, drain, then close NATS and the database. Idempotent. */
  stop(): Promise<void>;
}

/** Starts one auth replica: database (migrated), keys, revocation sync, gRPC and HTTP servers. */
export async function startAuthService(
  config: AuthConfig,
  options: StartOptions = {},
): Promise<AuthServiceHandle> {
  const instanceId = config.instanceId || crypto.randomUUID();
  const logger = options.logger ?? createLogger({ service: 'auth', level: config.logLevel, instanceId });
  const registry = options.registry ?? createRegistry('auth', instanceId);
  const keyReloadMs = options.keyReloadMs ?? 30_000;
  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch((err: unknown) => logger.warn({ err }, 'error while stopping the auth service'));
    }
  };

  try {
    const ds: DataSource = await openDatabase(config.db);
    cleanups.push(() => ds.destroy());

    const keyRepo = new SealedKeyRepository(new PostgresKeyRepository(ds), secretBox(config));
    const atRest = await keyRepo.sealAtRest();
    if (atRest.sealed || atRest.rewrapped)
      logger.info(
        { sealed: atRest.sealed, rewrapped: atRest.rewrapped },
        'signing keys encrypted under the current key-encryption key',
      );
    if (!config.keyEncryption.current)
      logger.warn(
        'USHER_AUTH_KEY_ENCRYPTION_KEY is not set: signing keys are stored unencrypted (development only)',
      );
    const keys = new KeyRing(keyRepo, {
      // a replica may sign with a just-retired key until its next reload
      retiredGraceMs: config.accessTtlMs + keyReloadMs + CLOCK_SKEW_MS,
    });
    await keys.init();

    const windowMs = config.accessTtlMs + CLOCK_SKEW_MS;
    const cache = new RevocationCache(windowMs);
    const revocations = new PostgresRevocationRepository(ds);
    const lag = new RevocationLag(registry, cache);
    const sync = new RevocationSync(lag.polled(revocations), cache, {
      pollMs: Math.max(50, config.revocationPollMs), // 0 would poll in a tight loop
      windowMs,
      logger,
    });
    await sync.load();
    sync.start();
    cleanups.push(() => sync.stop());

    const bus = new NatsRevocationBus({
      url: config.natsUrl,
      origin: instanceId,
      onEntries: (e) => {
        lag.observe('nats', e);
        cache.apply(e);
      },
      logger,
    });
    bus.start();
    cleanups.push(() => bus.close());

    const freshness = new RevocationFreshness({
      busConnected: () => bus.connected,
      lastPollAt: () => sync.lastSuccessAt,
      boundMs: config.revocationStalenessMs,
    });

    let service: AuthService = new Auth({
      keys,
      sessions: new PostgresSessionRepository(ds),
      apiKeys: new PostgresApiKeyRepository(ds),
      revocations,
      cache,
      bus,
      logger,
      settings: {
        issuer: config.issuer,
        accessTtlMs: config.accessTtlMs,
        refreshTtlMs: config.refreshTtlMs,
        sessionTtlMs: config.sessionTtlMs,
        sessionIdleMs: config.sessionIdleMs,
      },
    });
    service = new FailClosedAuth(service, freshness);
    service = new LoggingAuth(service, logger);
    service = new MetricsAuth(service, registry);

    // reload keys (other replicas rotate too) and rotate when the current key is too old
    const maintainKeys = async () => {
      const age = Date.now() - keys.signingKey().createdAt;
      // 0 turns scheduled rotation off (RotateSigningKey still works)
      if (config.keyRotationMs <= 0 || age < config.keyRotationMs) return keys.reload();
      const kid = await keys.rotate(config.keyRotationMs);
      if (kid) logger.info({ kid }, 'signing key rotated (scheduled)');
    };
    const maintenance = setInterval(
      () => {
        Promise.resolve()
          .then(maintainKeys)
          .catch((err: unknown) => logger.warn({ err }, 'signing key maintenance failed; retrying later'));
      },
      config.keyRotationMs > 0 ? Math.min(keyReloadMs, config.keyRotationMs) : keyReloadMs,
    );
    maintenance.unref();
    cleanups.push(() => clearInterval(maintenance));
    await maintainKeys();

    registerGauges(registry, cache, bus);
    freshness.registerMetrics(registry);
    const idleMs = Math.min(config.sessionIdleMs, config.refreshTtlMs); // as ListSessions counts them
    activeSessionsGauge(registry, () => countActiveSessions(ds, idleMs), { logger });

    const policy = {
      clients: config.clients,
      secretHashes: config.clientSecrets,
      mtls: !!config.grpc.tls.ca,
    };
    if (config.clients.size === 0)
      logger.warn('USHER_AUTH_CLIENTS is empty: every AuthService call will be refused (health stays open)');
    const grpcServer = createGrpcServer(
      service,
      logger,
      { registry, feed: cache, fresh: () => freshness.fresh() },
      policy,
    );
    cleanups.push(() => drain(grpcServer, options.drainTimeoutMs ?? 10_000));
    cleanups.push(watchFreshness(grpcServer, freshness, logger, config.revocationStalenessMs));
    const grpcPort = await bindGrpc(
      grpcServer.server,
      `${config.grpc.host}:${config.grpc.port}`,
      serverCredentials(config.grpc.tls),
    );

    const info = { ...buildInfo(), instanceId };
    const httpServer = createHttpServer(info, registry, service, () => grpcServer.isServing());
    const httpPort = await listen(httpServer, config.http.host, config.http.port);
    cleanups.push(() => closeHttp(httpServer));

    logger.info(
      {
        grpc_port: grpcPort,
        http_port: httpPort,
        tls: !!config.grpc.tls.cert,
        mtls: !!config.grpc.tls.ca,
        version: info.version,
      },
      'auth service started',
    );

    let stopping: Promise<void> | undefined;
    return {
      grpcPort,
      httpPort,
      instanceId,
      service,
      stop: () => (stopping ??= runCleanups().then(() => logger.info('auth service stopped'))),
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}

function secretBox(config: AuthConfig): SecretBox | undefined {
  const { current, previous } = config.keyEncryption;
  return current ? new SecretBox(current, previous) : undefined;
}

function registerGauges(registry: Registry, cache: RevocationCache, bus: NatsRevocationBus): void {
  new Gauge({
    name: 'usher_auth_revocation_cache_entries',
    help: 'revoked sessions, API keys and users held in memory',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.set({ kind: 'session' }, cache.size.sessions);
      this.set({ kind: 'user' }, cache.size.users);
      this.set({ kind: 'api_key' }, cache.size.apiKeys);
    },
  });
  new Gauge({
    name: 'usher_auth_nats_connected',
    help: '1 while the revocation fan-out over NATS is connected',
    registers: [registry],
    collect() {
      this.set(bus.connected ? 1 : 0);
    },
  });
}

/** gRPC health follows freshness: NOT_SERVING while this replica fails closed. Returns the stop. */
function watchFreshness(
  grpcServer: GrpcServer,
  freshness: RevocationFreshness,
  logger: Logger,
  boundMs: number,
): () => void {
  let serving = true;
  const timer = setInterval(
    () => {
      const fresh = freshness.fresh();
      if (fresh === serving) return;
      serving = fresh;
      grpcServer.setServing(fresh);
      if (fresh) logger.info('revocations fresh again: serving checks');
      else
        logger.warn(
          { staleness_ms: freshness.stalenessMs() },
          'revocations stale (NATS down and the PostgreSQL poll behind): checks answer UNAVAILABLE, health NOT_SERVING',
        );
    },
    Math.max(20, Math.min(250, boundMs / 4)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** Health NOT_SERVING first, then let in-flight calls finish, then cut what is left. */
async function drain({ server, setServing, endStreams }: GrpcServer, timeoutMs: number): Promise<void> {
  setServing(false);
  endStreams();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function closeHttp(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
