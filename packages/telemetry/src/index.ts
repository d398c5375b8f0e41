export { createLogger, REDACT_PATHS, type Logger, type LoggerOptions } from './logger';
export { createRegistry, requestMetrics, Registry, Counter, Histogram, Gauge } from './metrics';
export {
  startTracing,
  otlpTracesUrl,
  REDACTED_QUERY_PARAMS,
  type Tracing,
  type TracingOptions,
} from './tracing';
// The API the services use for their own spans; the SDK behind it is started by startTracing.
export { trace, SpanStatusCode, type Tracer } from '@opentelemetry/api';
