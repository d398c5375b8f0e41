export { OUTBOX_CHANNEL, outboxTableSql, outboxRow, outboxInsert, type OutboxRow } from './outbox';
export { OutboxRelay, type RelayOptions, type RelayLogger, type RelayStatus } from './relay';
export {
  startConsumer,
  type ConsumerOptions,
  type EventHandlers,
  type Delivery,
  type RunningConsumer,
} from './consumer';
export { ensureUsersStream, ensureDlqStream, DLQ_STREAM, DLQ_SUBJECT_PREFIX } from './stream';
export type { UserEvent, UserEventType, EventUser } from '@usher/contracts';
