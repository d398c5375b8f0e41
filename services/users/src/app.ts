import fs from 'fs';
import http from 'http';
import https from 'https';
import { randomUUID } from 'crypto';
import type { AddressInfo } from 'net';
import { createAuthClient, createVerifier, type AuthClient } from '@usher/auth-client';
import type { UsersConfig } from '@usher/config';
import { createLogger, createRegistry, Gauge, type Logger, type Registry } from '@usher/telemetry';
import { GrpcAuth } from './auth/grpc-auth';
import { BcryptHasher } from './domain/hasher';
import { ensureOwner } from './domain/owner';
import { UserImporter } from './domain/importer';
import { AuthenticationSetting } from './domain/settings';
import { Overview } from './domain/overview';
import { AuthorizedOverview } from './middleware/overview-authorization';
import { PostgresOverviewQueries } from './postgres/overview-queries';
import { Users } from './domain/users';
import { createHttpApp } from './http/app';
import { AUTH_DISABLED_WARNING } from './http/context';
import { startPurgeJob } from './jobs/purge';
import { startMail } from './mail';
import { AuthorizedUsers } from './middleware/authorization';
import { loggingUsers } from './middleware/logging';
import { metricsHasher, metricsLockout, metricsUsers } from './middleware/metrics';
import { tracingUsers } from './middleware/tracing';
import { OutboxRelay } from '@usher/events';
import { RecordingAuditLog } from './events/recorder';
import { PostgresAuditLog } from './postgres/audit-repository';
import { PostgresInvitations } from './postgres/invitation-repository';
import { openDatabase, pgClientConfig } from './postgres/data-source';
import { PostgresLockout } from './postgres/lockout-repository';
import { Transactor } from './postgres/tx';
import { PostgresUsersRepository } from './postgres/user-repository';
import type { Caller, UsersService } from './service';
import { OAuthAccounts } from './domain/oauth';
import { PwnedPasswords } from './passwords/pwned';
import { providerClient } from './oauth/providers';
import { PostgresIdentities } from './postgres/identity-repository';

export interface UsersHandle {
  port: number;
  url: string;
  /** Where /metrics is served (its own port when USHER_USERS_METRICS_PORT is set). */
  metricsUrl?: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where the generated owner password goes (once); stdout by default. */
  announceOwnerPassword?: (password: string) => void;
}

const printOwnerPassword = (email: string) => (password: string) => {
  process.stdout.write(
    `\n  Usher created the owner account ${email}.\n  Its generated password, shown only this once: ${password}\n` +
      `  Sign in and change it, or set USHER_USERS_ADMIN_PASSWORD before the first start.\n\n`,
  );
};

/** Builds the users service from its config and starts its HTTP server. main.ts wires signals around it. */
export async function startUsersService(
  config: UsersConfig,
  options: StartOptions = {},
): Promise<UsersHandle> {
  const instanceId = config.instanceId || randomUUID();
  const logger = options.logger ?? createLogger({ service: 'users', level: config.logLevel, instanceId });
  const registry = createRegistry('users', instanceId);
  if (config.magistralaFallbacks.length > 0) {
    logger.info(
      { variables: config.magistralaFallbacks },
      'read Magistrala variables as fallbacks for their unset USHER_* names',
    );
  }

  if (!config.requireAuthentication && config.production) {
    throw new Error('USHER_REQUIRE_AUTHENTICATION=0 is refused when NODE_ENV=production');
  }
  const dataSource = await openDatabase(config.db);
  const tx = new Transactor(dataSource);
  const repo = new PostgresUsersRepository(tx);
  const hasher = metricsHasher(new BcryptHasher(config.bcryptCost), registry);
  const auth = createAuthClient({
    url: config.authGrpc.url,
    timeoutMs: config.authGrpc.timeoutMs,
    tls: config.authGrpc.tls,
    // without mTLS the users service names itself with its client secret (issue 15)
    caller: config.authGrpc.clientSecret
      ? { id: config.authGrpc.clientId, secret: config.authGrpc.clientSecret }
      : undefined,
  });
  // every request's bearer token is verified in-process, revocations pushed by auth (issue 15)
  const verifier = createVerifier(auth, {
    issuer: config.authGrpc.issuer,
    stalenessMs: config.authGrpc.stalenessMs,
    onStreamState: (connected, err) =>
      connected
        ? logger.info('revocation stream connected: verifying tokens locally')
        : logger.warn({ err: err?.message }, 'revocation stream down: verifying through auth'),
  });
  const verifying: AuthClient = {
    ...auth,
    authenticate: (token) => verifier.authenticate(token),
    authorize: (token, minRole) => verifier.authorize(token, minRole),
  };
  const dummyHash = await hasher.hash(randomUUID());
  // Email flows: mail queued with each change, delivered after commit by the sender loop.
  const mail = await startMail(config, { tx, audit: new PostgresAuditLog(tx), logger });
  const invitations = new PostgresInvitations(tx);

  let service: UsersService = new Users(
    {
      repo,
      hasher,
      auth: new GrpcAuth(auth),
      audit: new RecordingAuditLog(new PostgresAuditLog(tx), repo, tx),
      lockout: metricsLockout(new PostgresLockout(tx), registry),
      uow: tx,
      emailTokens: mail.tokens,
      invitations,
      mailQueue: mail.queue,
      mailTemplates: mail.templates,
    },
    {
      passRegex: config.passRegex,
      breachCheck: config.security.breachCheck.enabled
        ? new PwnedPasswords({
            ...config.security.breachCheck,
            logger: logger.child({ component: 'breach-check' }),
          })
        : undefined,
      dummyHash,
      lockout: config.lockout,
      links: config.links,
    },
  );
  service = new AuthorizedUsers(service, repo, { allowSelfRegister: config.allowSelfRegister }, invitations);
  service = tracingUsers(service);
  service = loggingUsers(service, logger);
  service = metricsUsers(service, registry);

  const outcome = await ensureOwner(
    repo,
    service,
    config.admin,
    options.announceOwnerPassword ?? printOwnerPassword(config.admin.email),
  );
  if (outcome === 'created') logger.info({ email: config.admin.email }, 'owner account created');

  if (!config.requireAuthentication) logger.warn(AUTH_DISABLED_WARNING);
  const owner = async (): Promise<Caller> => {
    const id = await repo.firstEnabledOwner();
    return { userId: id ?? '', role: 'owner', sessionId: '', verified: true };
  };
  // Sign-in with external identity providers (issue 12): same repositories, its own audit recorder.
  const identities = new PostgresIdentities(tx);
  const oauth = {
    accounts: new OAuthAccounts(
      repo,
      identities,
      new GrpcAuth(auth),
      new RecordingAuditLog(new PostgresAuditLog(tx), repo, tx),
      new PostgresLockout(tx),
      tx,
      { allowSelfRegister: config.allowSelfRegister },
    ),
    flows: identities,
    providers: config.oauth.providers.map((p) =>
      providerClient(p, `${config.oauth.callbackUrlPrefix}/${p.name}`, config.oauth.timeoutMs),
    ),
    uiRedirectUrl: config.oauth.uiRedirectUrl,
    uiErrorUrl: config.oauth.uiErrorUrl,
    callbackUrlPrefix: config.oauth.callbackUrlPrefix,
    logger: logger.child({ component: 'oauth' }),
  };
  if (oauth.providers.length) {
    logger.info({ providers: oauth.providers.map((p) => p.name) }, 'external identity providers');
  }
  const app = createHttpApp({
    oauth,
    service,
    auth: verifying,
    logger,
    registry,
    instanceId,
    requireAuthentication: config.requireAuthentication,
    trustedProxies: config.security.trustedProxies,
    owner,
    gate: { accessState: (id) => repo.accessState(id), allowUnverified: config.allowUnverifiedUser },
    dashboard: config.dashboard.enabled ? { path: config.dashboard.path } : undefined,
    importer: new UserImporter(tx, hasher, { passRegex: config.passRegex }),
    overview: new AuthorizedOverview(new Overview(new PostgresOverviewQueries(tx))),
    authenticationSetting: new AuthenticationSetting(tx, {
      default: config.requireAuthentication,
      production: config.production,
    }),
  });
  // Events wait in the outbox table and go to JetStream from whichever replica holds the relay lock.
  const relay = new OutboxRelay({
    db: pgClientConfig(config.db),
    natsUrl: config.natsUrl,
    retentionMs: config.eventsRetentionMs,
    logger: logger.child({ component: 'outbox-relay' }),
    pollMs: 1000,
  });
  relay.start();
  outboxMetrics(registry, relay);
  const stopPurge = startPurgeJob(service, logger, {
    intervalMs: config.deleteIntervalMs,
    afterMs: config.deleteAfterMs,
  });
  const tls = config.http.tls;
  const server =
    tls.cert && tls.key
      ? https.createServer(
          {
            cert: fs.readFileSync(tls.cert),
            key: fs.readFileSync(tls.key),
            ...(tls.clientCa
              ? { ca: fs.readFileSync(tls.clientCa), requestCert: true, rejectUnauthorized: true }
              : {}),
          },
          app,
        )
      : http.createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common gateway idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = tls.cert && tls.key ? 'https' : 'http';
  logger.info({ port, host: config.http.host, tls: scheme === 'https' }, 'users service started');

  return {
    port,
    url: `${scheme}://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`,
    async stop() {
      // Stop taking connections, let requests in flight finish, then close what they used.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      });
      stopPurge();
      await mail.sender.stop();
      await relay.stop();
      verifier.close();
      auth.close();
      await dataSource.destroy();
    },
  };
}

/** Outbox backlog and the age of its oldest unsent event, read on scrape. */
function outboxMetrics(registry: Registry, relay: OutboxRelay) {
  let last: Promise<{ count: number; oldestAgeSeconds: number } | undefined> | undefined;
  // One query per scrape for both gauges.
  const read = () =>
    (last ??= relay
      .backlog()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (last = undefined), 100)));
  new Gauge({
    name: 'usher_outbox_backlog',
    help: 'user events waiting in the outbox',
    registers: [registry],
    async collect() {
      const b = await read();
      if (b) this.set(b.count);
    },
  });
  new Gauge({
    name: 'usher_outbox_oldest_age_seconds',
    help: 'age of the oldest unsent user event',
    registers: [registry],
    async collect() {
      const b = await read();
      if (b) this.set(b.oldestAgeSeconds);
    },
  });
}
