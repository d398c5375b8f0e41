import { Client } from 'pg';
import { connect, type NatsConnection } from 'nats';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import { outboxInsert, outboxRow, outboxTableSql, type RelayLogger } from '../src';
import type { UserEventType } from '@usher/contracts';

export const quietLogger: RelayLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A database with an outbox table, and a way to append events to it as a service would. */
export async function outboxDb(): Promise<{
  db: TestDatabase;
  client: Client;
  append: (type: UserEventType, userId: string) => Promise<string>;
}> {
  const db = await createTestDatabase('outbox');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  for (const sql of outboxTableSql()) await client.query(sql);
  const append = async (type: UserEventType, userId: string) => {
    const row = outboxRow({ type, user: { id: userId, email: `${userId}@example.com` } });
    const [sql, params] = outboxInsert(row);
    await client.query(sql, params);
    return row.id;
  };
  return { db, client, append };
}

/** Every message on usher.users.> (core subscription), in arrival order. */
export async function collect(url: string) {
  const nc: NatsConnection = await connect({
    servers: url,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
  const got: { subject: string; id: string; msgId?: string; traceparent?: string; user: string }[] = [];
  const sub = nc.subscribe('usher.users.>');
  void (async () => {
    for await (const m of sub) {
      const e = JSON.parse(m.string());
      got.push({
        subject: m.subject,
        id: e.id,
        msgId: m.headers?.get('Nats-Msg-Id'),
        traceparent: m.headers?.get('traceparent'),
        user: e.user?.id,
      });
    }
  })();
  await nc.flush();
  return { got, close: () => nc.close() };
}
