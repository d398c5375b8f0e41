export {
  canConnect,
  ensureDatabase,
  dropDatabase,
  ensurePostgres,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './postgres';
export { startStack, type RunningStack, type StackOptions } from './stack';
export { newCaller, callerEnv, devCallerEnv, type CallerIdentity } from './callers';
