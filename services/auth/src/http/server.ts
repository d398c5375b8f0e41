import http from 'http';
import type { Registry } from '@usher/telemetry';
import { AuthenticationError, ValidationError } from '../errors';
import type { Jwk, Principal } from '../service';

export interface BuildInfo {
  version: string;
  commit: string;
  buildTime: string;
  instanceId: string;
}

/** What the HTTP port serves besides health and metrics. */
export interface HttpDeps {
  /** Current and still-verifying public keys. */
  jwks(): Promise<Jwk[]>;
  /** Verifies a bearer token in memory; rejects when it is invalid, expired or revoked. */
  authenticate(token: string): Promise<Principal>;
}

/**
 * Keys rotate: a verifier that caches the set this long and refetches on an unknown kid never
 * misses a new key (tokens of a new key appear only after the rotation that publishes it).
 */
export const JWKS_MAX_AGE_S = 60;

/**
 * GET /health (the seed's JSON shape, liveness), GET /ready (200 while the gRPC health says
 * SERVING, 503 while draining or failing closed: a readiness probe that needs no gRPC or TLS),
 * GET /metrics (Prometheus), GET /.well-known/jwks.json and GET /auth/verify (an nginx
 * `auth_request` check) beside the gRPC port.
 */
export function createHttpServer(
  info: BuildInfo,
  registry: Registry,
  deps: HttpDeps,
  serving: () => boolean = () => true,
): http.Server {
  const health = JSON.stringify({
    status: 'pass',
    version: info.version,
    commit: info.commit,
    description: 'auth service',
    build_time: info.buildTime,
    instance_id: info.instanceId,
  });
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/health+json' }).end(health);
    } else if (path === '/ready') {
      const ready = serving();
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ready ? 'SERVING' : 'NOT_SERVING' }));
    } else if (path === '/.well-known/jwks.json') {
      deps.jwks().then(
        (keys) =>
          res
            .writeHead(200, {
              'content-type': 'application/jwk-set+json',
              'cache-control': `public, max-age=${JWKS_MAX_AGE_S}, must-revalidate`,
            })
            .end(JSON.stringify({ keys })),
        () => res.writeHead(503, { 'retry-after': '1' }).end(),
      );
    } else if (path === '/auth/verify') {
      verify(req, res, deps);
    } else if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
}

/** 200 with the principal in X-Usher-* headers, 401 for anything else; never a body to leak. */
function verify(req: http.IncomingMessage, res: http.ServerResponse, deps: HttpDeps): void {
  const noStore = { 'cache-control': 'no-store' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) {
    res.writeHead(401, { ...noStore, 'www-authenticate': 'Bearer' }).end();
    return;
  }
  deps.authenticate(match[1]).then(
    (p) =>
      res
        .writeHead(200, {
          ...noStore,
          'x-usher-user-id': p.userId,
          'x-usher-role': p.role,
          'x-usher-session-id': p.sessionId,
        })
        .end(),
    (err: unknown) => {
      // a refused credential is 401; anything else (the database behind API keys down) is 503
      if (err instanceof AuthenticationError || err instanceof ValidationError)
        res.writeHead(401, { ...noStore, 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      else res.writeHead(503, { ...noStore, 'retry-after': '1' }).end();
    },
  );
}

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
