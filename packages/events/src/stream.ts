import { RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from 'nats';
import { USERS_STREAM, USERS_SUBJECT_PREFIX } from '@usher/contracts';

export const DLQ_STREAM = 'USHER_USERS_DLQ';
export const DLQ_SUBJECT_PREFIX = 'usher.dlq.users';

/** Creates the stream or brings an existing one to this configuration (idempotent, at every start). */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string; subjects: string[] },
) {
  try {
    const info = await jsm.streams.info(config.name);
    const wanted = { ...info.config, ...config };
    if (JSON.stringify(wanted) !== JSON.stringify(info.config)) await jsm.streams.update(config.name, wanted);
  } catch (error) {
    if (!/stream not found/i.test(String((error as Error).message))) throw error;
    await jsm.streams.add(config);
  }
}

export interface UsersStreamOptions {
  /** How long events are kept (max_age); 0 keeps them until limits. */
  retentionMs: number;
  /** Window in which JetStream drops a re-published event id. */
  duplicateWindowMs?: number;
}

/** USHER_USERS: file storage, every usher.users.* subject, dedup on Nats-Msg-Id. */
export const ensureUsersStream = (jsm: JetStreamManager, opts: UsersStreamOptions) =>
  ensureStream(jsm, {
    name: USERS_STREAM,
    subjects: [`${USERS_SUBJECT_PREFIX}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(opts.retentionMs),
    duplicate_window: nanos(opts.duplicateWindowMs ?? 10 * 60_000),
  });

/** Dead letters of the consumer SDK, kept apart so they never reach usher.users.> consumers. */
export const ensureDlqStream = (jsm: JetStreamManager) =>
  ensureStream(jsm, {
    name: DLQ_STREAM,
    subjects: [`${DLQ_SUBJECT_PREFIX}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  });
