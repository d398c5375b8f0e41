import { randomUUID } from 'crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { AuthClient } from '@usher/auth-client';
import { requestMetrics, type Logger, type Registry } from '@usher/telemetry';
import type { UsersService } from '../service';
import { errorHandler, sendError } from './errors';
import { healthInfo } from './health';
import { usersRouter } from './routes';

export interface HttpAppDeps {
  service: UsersService;
  auth: AuthClient;
  logger: Logger;
  registry: Registry;
  instanceId: string;
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

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind the gateway, the client address comes from X-Forwarded-For set by a private-network proxy.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(observe(deps.logger, deps.registry));
  app.get('/health', (_req, res) => {
    res.type('application/health+json').json(healthInfo(deps.instanceId));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.use(express.json({ limit: '100kb', strict: true }));
  app.use(usersRouter(deps.service, deps.auth));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'route not found'));
  app.use(errorHandler(deps.logger));
  return app;
}
