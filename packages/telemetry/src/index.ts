export { createLogger, REDACT_PATHS, type Logger, type LoggerOptions } from './logger';
export { createRegistry, requestMetrics, Registry, Counter, Histogram, Gauge } from './metrics';
