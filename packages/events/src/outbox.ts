import { randomUUID } from 'crypto';
import { context, propagation } from '@opentelemetry/api';
import { subjectOf, USER_EVENT_VERSION, type UserEvent, type UserEventType } from '@usher/contracts';

/** The NOTIFY channel an insert signals, so the relay publishes at once instead of at its next poll. */
export const OUTBOX_CHANNEL = 'usher_outbox';

/**
 * DDL of the outbox table, for the owning service's migration. `seq` orders publishing; `key`
 * (the user id) is kept for consumers that shard by user; `trace` holds the W3C context of the
 * change so the publish span joins the request's trace.
 */
export const outboxTableSql = (table = 'outbox') => [
  `create table ${table} (
     seq bigserial primary key,
     id uuid not null unique,
     subject text not null,
     key text,
     payload jsonb not null,
     trace jsonb not null default '{}',
     created_at timestamptz not null default now(),
     sent_at timestamptz
   )`,
  `create index ${table}_unsent on ${table} (seq) where sent_at is null`,
];

export interface OutboxRow {
  id: string;
  subject: string;
  key: string | null;
  payload: UserEvent;
  trace: Record<string, string>;
}

/** Builds the row of one event, capturing the active trace context. */
export function outboxRow<T extends UserEventType>(
  event: Omit<UserEvent<T>, 'id' | 'version' | 'occurred_at'>,
): OutboxRow {
  const id = randomUUID();
  const trace: Record<string, string> = {};
  propagation.inject(context.active(), trace);
  const payload = {
    id,
    version: USER_EVENT_VERSION,
    occurred_at: new Date().toISOString(),
    ...event,
  } as UserEvent;
  return { id, subject: subjectOf(event.type), key: event.user?.id ?? null, payload, trace };
}

/** SQL + parameters that insert a row and wake the relay (the NOTIFY is delivered at commit). */
export function outboxInsert(row: OutboxRow, table = 'outbox'): [string, unknown[]] {
  return [
    `with inserted as (
       insert into ${table} (id, subject, key, payload, trace) values ($1, $2, $3, $4, $5) returning seq
     ) select pg_notify('${OUTBOX_CHANNEL}', '') from inserted`,
    [row.id, row.subject, row.key, JSON.stringify(row.payload), JSON.stringify(row.trace)],
  ];
}
