import fs from 'fs';
import http from 'http';
import https from 'https';
import { randomUUID } from 'crypto';
import type { AddressInfo } from 'net';
import { createAuthClient } from '@usher/auth-client';
import type { UsersConfig } from '@usher/config';
import { createLogger, createRegistry, type Logger } from '@usher/telemetry';
import { GrpcTokenIssuer } from './auth/token-issuer';
import { BcryptHasher } from './domain/hasher';
import { ensureOwner } from './domain/owner';
import { Users } from './domain/users';
import { createHttpApp } from './http/app';
import { AuthorizedUsers } from './middleware/authorization';
import { LoggingUsers } from './middleware/logging';
import { MetricsUsers } from './middleware/metrics';
import { openDatabase } from './postgres/data-source';
import { Transactor } from './postgres/tx';
import { PostgresUsersRepository } from './postgres/user-repository';
import type { UsersService } from './service';

export interface UsersHandle {
  port: number;
  url: string;
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

  const dataSource = await openDatabase(config.db);
  const tx = new Transactor(dataSource);
  const repo = new PostgresUsersRepository(tx);
  const hasher = new BcryptHasher(config.bcryptCost);
  const auth = createAuthClient({
    url: config.authGrpc.url,
    timeoutMs: config.authGrpc.timeoutMs,
    tls: config.authGrpc.tls,
  });
  const dummyHash = await hasher.hash(randomUUID());

  let service: UsersService = new Users(repo, hasher, new GrpcTokenIssuer(auth), {
    passRegex: config.passRegex,
    dummyHash,
  });
  service = new AuthorizedUsers(service, { allowSelfRegister: config.allowSelfRegister });
  service = new LoggingUsers(service, logger);
  service = new MetricsUsers(service, registry);

  const outcome = await ensureOwner(
    repo,
    service,
    config.admin,
    options.announceOwnerPassword ?? printOwnerPassword(config.admin.email),
  );
  if (outcome === 'created') logger.info({ email: config.admin.email }, 'owner account created');

  const app = createHttpApp({ service, auth, logger, registry, instanceId });
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
      auth.close();
      await dataSource.destroy();
    },
  };
}
