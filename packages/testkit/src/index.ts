export {
  ensureTestPostgres,
  stopTestPostgres,
  createTestDatabase,
  adminDbUrl,
  DEFAULT_TEST_DB_URL,
  type TestDatabase,
} from './postgres';
export { describeWithNats, natsReachable, testNatsUrl, DEFAULT_TEST_NATS_URL } from './nats';
export { freePort, waitFor, waitForPort } from './net';
export { globalSetup, globalTeardown } from './jest-global-setup';
export { natsServerBinary, startNatsServer, type PrivateNats } from './nats-server';
export {
  startOtlpReceiver,
  decodeOtlpJson,
  type OtlpReceiver,
  type ReceivedSpan,
  type SpanKindName,
} from './otlp';
export { captureNats, type CapturedMessage, type NatsCapture } from './nats-capture';
export { TEST_CALLERS, testCallerEnv, callerOf } from './callers';
export { hasOpenssl, makePki, type Pki } from './pki';
