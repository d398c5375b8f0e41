import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export { Registry, Counter, Histogram, Gauge } from 'prom-client';

/** A registry with process metrics and a `service` label on every series. */
export function createRegistry(service: string, instanceId?: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, ...(instanceId ? { instance: instanceId } : {}) });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request counters and latency histograms shared by the HTTP and gRPC edges. */
export function requestMetrics(registry: Registry, transport: 'http' | 'grpc') {
  return {
    requests: new Counter({
      name: `usher_${transport}_requests_total`,
      help: `${transport} requests by route and outcome`,
      labelNames: ['method', 'route', 'code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: `usher_${transport}_request_duration_seconds`,
      help: `${transport} request latency`,
      labelNames: ['method', 'route', 'code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
