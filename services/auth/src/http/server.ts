import http from 'http';
import type { Registry } from '@usher/telemetry';

export interface BuildInfo {
  version: string;
  commit: string;
  buildTime: string;
  instanceId: string;
}

/**
 * GET /health (the seed's JSON shape, liveness), GET /ready (200 while the gRPC health says
 * SERVING, 503 while draining or failing closed: a readiness probe that needs no gRPC or TLS) and
 * GET /metrics (Prometheus) beside the gRPC port.
 */
export function createHttpServer(
  info: BuildInfo,
  registry: Registry,
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

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
