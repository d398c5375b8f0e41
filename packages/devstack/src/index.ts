export {
  canConnect,
  probePostgres,
  describeFailure,
  ensureDatabase,
  dropDatabase,
  ensurePostgres,
  type Probe,
} from './postgres';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
export { LauncherError, oneLine } from './errors';
export { startStack, type RunningStack, type StackOptions } from './stack';
