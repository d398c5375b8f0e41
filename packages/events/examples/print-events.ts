#!/usr/bin/env node
// Prints every user event as it arrives: `pnpm --filter @usher/events example` against a running
// stack (NATS at USHER_USERS_ES_URL, default nats://localhost:4222). Ctrl+C stops it; the durable
// consumer "print-events" remembers its position, so a restart continues where it stopped.
import { USER_EVENT_TYPES, type UserEvent } from '@usher/contracts';
import { startConsumer, type EventHandlers } from '../src';

const print = (event: UserEvent) => {
  const who = event.user ? `${event.user.email ?? event.user.id}` : '(unknown identity)';
  const changed = event.changes ? ` changed ${Object.keys(event.changes).join(', ')}` : '';
  console.log(
    `${event.occurred_at}  ${event.type.padEnd(16)} ${who}${changed}  by ${event.actor_id ?? '-'}  [${event.id}]`,
  );
};

async function main() {
  const handlers = Object.fromEntries(USER_EVENT_TYPES.map((t) => [t, print])) as EventHandlers;
  const consumer = await startConsumer({
    nats: process.env.USHER_USERS_ES_URL || 'nats://localhost:4222',
    durable: process.env.USHER_EXAMPLE_DURABLE || 'print-events',
    handlers,
  });
  console.log('waiting for user events (Ctrl+C to stop)...');
  process.once('SIGINT', () => void consumer.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
