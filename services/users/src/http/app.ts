import { randomUUID } from 'crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { AuthClient } from '@usher/auth-client';
import { requestMetrics, type Logger, type Registry } from '@usher/telemetry';
import type { Caller, UsersService } from '../service';
import { accessRoutes } from './access-routes';
import { dashboard } from './dashboard';
import { AUTH_DISABLED_WARNING, authenticator, type AccountGate } from './context';
import { emailRoutes } from './email-routes';
import { importRoutes } from './import-routes';
import { settingsRoutes } from './settings-routes';
import { overviewRoutes } from './overview-routes';
import type { OverviewService } from '../domain/overview';
import type { AuthenticationSetting } from '../domain/settings';
import type { UserImporter } from '../domain/importer';
import { errorHandler, sendError } from './errors';
import { docsRouter } from './docs';
import { healthInfo } from './health';
import { accountRoutes } from './routes';
import { oauthRoutes, type OAuthRoutesDeps } from './oauth-routes';

export interface HttpAppDeps {
  service: UsersService;
  auth: AuthClient;
  logger: Logger;
  registry: Registry;
  instanceId: string;
  /** USHER_REQUIRE_AUTHENTICATION */
  requireAuthentication: boolean;
  /** The runtime switch (GET/PUT /settings/authentication); USHER_REQUIRE_AUTHENTICATION without it. */
  authenticationSetting?: AuthenticationSetting;
  /** Who anonymous requests act as when authentication is off. */
  owner: () => Promise<Caller>;
  /** Temporary-password and email-verification rules for signed-in callers (none when absent). */
  gate?: AccountGate;
  /** The web dashboard (USHER_DASHBOARD_PATH), when enabled; its dist folder for tests. */
  dashboard?: { path: string; distDir?: string };
  /** Sign-in with external identity providers (issue 12); its routes answer 404 without it. */
  oauth?: OAuthRoutesDeps;
  /** GET /stats/overview (admins); the route answers 404 without it. */
  overview?: OverviewService;
  /** POST /users/import (owners); the route answers 404 without it. */
  importer?: UserImporter;
}

/** Request id in and out, one access-log line and one metrics sample per request. */
function observe(logger: Logger, registry: Registry): RequestHandler {
  const metrics = requestMetrics(registry, 'http');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? String(req.route.path) : 'unmatched';
      const labels = { method: req.method, route, code: String(res.statusCode) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, seconds);
      logger.info(
        {
          request_id: requestId,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        },
        'request',
      );
    });
    next();
  };
}

class NulError extends Error {
  readonly status = 400;
  readonly type = 'entity.nul';
}

function refuseNul(_req: unknown, _res: unknown, buf: Buffer) {
  if (buf.includes('\\u0000')) throw new NulError('request body contains a NUL character');
}

const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\0')
    : Array.isArray(v)
      ? v.some(hasNul)
      : v && typeof v === 'object'
        ? Object.values(v).some(hasNul)
        : false;

const refuseNulInQuery: RequestHandler = (req, res, next) => {
  if (hasNul(req.query) || hasNul(req.params))
    return sendError(res, 400, 'invalid_request', 'query contains a NUL character');
  next();
};

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind the gateway, the client address comes from X-Forwarded-For set by a private-network proxy.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(observe(deps.logger, deps.registry));
  const setting = deps.authenticationSetting;
  const requireAuthentication = setting ? () => setting.required() : deps.requireAuthentication;
  if (setting) {
    app.use(async (_req, res, next) => {
      if (!(await setting.required())) res.setHeader('Warning', AUTH_DISABLED_WARNING);
      next();
    });
  } else if (!deps.requireAuthentication) {
    app.use((_req, res, next) => {
      res.setHeader('Warning', AUTH_DISABLED_WARNING);
      next();
    });
  }
  app.get('/health', (_req, res) => {
    res.type('application/health+json').json(healthInfo(deps.instanceId));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  // The OpenAPI contract and its reference page: public, GET only, before the body parser.
  app.use(docsRouter());
  // PostgreSQL text cannot hold NUL: refuse it at the edge rather than fail in the database.
  app.use(express.json({ limit: '100kb', strict: true, verify: refuseNul }));
  app.use(refuseNulInQuery);
  const authn = authenticator(deps.auth, {
    requireAuthentication,
    owner: deps.owner,
    gate: deps.gate,
  });
  // The dashboard's pages and its backend, which hands /dashboard/api/* to the routes below.
  if (deps.dashboard) app.use(dashboard({ ...deps.dashboard, service: deps.service, auth: deps.auth }));
  // External sign-in, and /users/identities before the account routes' /users/{id}.
  app.use(oauthRoutes(deps.oauth, authn));
  // Access routes first: /users/sessions and /users/keys must not be read as /users/{id}.
  app.use(accessRoutes(deps.service, authn));
  app.use(importRoutes(deps.importer, authn));
  app.use(settingsRoutes(deps.authenticationSetting, authn));
  app.use(overviewRoutes(deps.overview, authn));
  app.use(emailRoutes(deps.service, authn));
  app.use(accountRoutes(deps.service, authn));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'route not found'));
  app.use(errorHandler(deps.logger));
  return app;
}
