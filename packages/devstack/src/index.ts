export {
  canConnect,
  ensureDatabase,
  dropDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './postgres';
