import os from 'os';

export interface TracingOptions {
  /** service.name: `users`, `auth`. */
  serviceName: string;
  /** service.version */
  version: string;
  /** service.instance.id: the same id the logs and metrics carry. */
  instanceId: string;
  /**
   * OTLP/HTTP endpoint (Jaeger ingests it on 4318): a base URL (`http://jaeger:4318`, `/v1/traces`
   * is added) or the full traces URL. Empty: tracing off, nothing is loaded or exported.
   */
  url: string;
  /** Share of new traces kept, 0..1; a span with a parent follows the parent's decision. */
  ratio: number;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered. */
  flush(): Promise<void>;
  /** Flushes, then stops the SDK; bounded so a dead collector cannot hold up a drain. */
  shutdown(): Promise<void>;
}

const SHUTDOWN_TIMEOUT_MS = 5000;

const OFF: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

/** The URL spans are posted to: a bare base URL gets the OTLP traces path. */
export function otlpTracesUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = '/v1/traces';
  return parsed.toString();
}

// Probes and scrapes would make a trace each every few seconds and drown the requests worth reading.
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

/**
 * Query parameters whose values spans never carry (`url.query`, `url.full`): mailed tokens
 * (`/verify-email?token=`), OAuth codes, anything named like a secret; plus the SDK's defaults.
 */
export const REDACTED_QUERY_PARAMS = [
  'token',
  'code',
  'state',
  'secret',
  'password',
  'access_token',
  'refresh_token',
  'id_token',
  'key',
  'api_key',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

/**
 * Starts OpenTelemetry (http, express, gRPC client and server, pg) exporting OTLP/HTTP JSON. Call it
 * before the modules it instruments are loaded: a service's main.ts starts it, then imports its app.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.url) return OFF;
  // Loaded only when tracing is on: the SDK is heavy, and packages using the logger need none of it.
  const [
    { NodeSDK },
    { OTLPTraceExporter },
    { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler },
    { defaultResource, resourceFromAttributes },
    { HttpInstrumentation },
    { ExpressInstrumentation },
    { GrpcInstrumentation },
    { PgInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-grpc'),
    import('@opentelemetry/instrumentation-pg'),
  ]);

  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(options.url) });
  const processor = new BatchSpanProcessor({
    exporter,
    // OTEL_BSP_SCHEDULE_DELAY is the standard knob; tests shorten it to see spans sooner.
    scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY) || 2000,
  });
  const sdk = new NodeSDK({
    // Detectors would replace service.instance.id with a random one: the resource is ours alone.
    autoDetectResources: false,
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.name': options.serviceName,
        'service.version': options.version,
        'service.instance.id': options.instanceId,
        'host.name': os.hostname(),
        'process.pid': process.pid,
      }),
    ),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.ratio) }),
    spanProcessors: [processor],
    // Traces only: metrics are Prometheus (prom-client) and logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
      }),
      new ExpressInstrumentation(),
      new GrpcInstrumentation({ ignoreGrpcMethods: [/^(Check|Watch)$/] }), // grpc.health.v1 probes
      // Statement text only, never the parameters (they hold hashes and emails); no spans for
      // background polls that run outside any request.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    flush: () => processor.forceFlush(),
    shutdown: () =>
      (stopped ??= Promise.race([
        sdk.shutdown().catch(() => undefined),
        new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref()),
      ])),
  };
}
