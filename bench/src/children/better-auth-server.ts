// Peer child: better-auth with email/password on PostgreSQL (its pg.Pool adapter, Kysely inside),
// migrated programmatically, served by node:http through better-auth's node handler.
//   DATABASE_URL=... node better-auth-server.js <port>
// Rate limiting is off (as Usher's own limiter lives in the gateway); everything else is default,
// so passwords are hashed with better-auth's default scrypt (N=16384, r=16, p=1) on the thread pool.
import crypto from 'crypto';
import http from 'http';
import { Pool } from 'pg';

// better-auth is ESM-only; Node >= 20.19 loads it with require() from this CommonJS build.
/* eslint-disable @typescript-eslint/no-require-imports */
const { betterAuth } = require('better-auth') as { betterAuth: (o: object) => { options: object } };
const { getMigrations } = require('better-auth/db/migration') as {
  getMigrations: (o: object) => Promise<{ runMigrations: () => Promise<void> }>;
};
const { toNodeHandler } = require('better-auth/node') as {
  toNodeHandler: (auth: object) => http.RequestListener;
};
/* eslint-enable @typescript-eslint/no-require-imports */

async function main() {
  const port = Number(process.argv[2]);
  const auth = betterAuth({
    database: new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }),
    secret: crypto.randomBytes(32).toString('hex'),
    baseURL: `http://127.0.0.1:${port}`,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { level: 'error' },
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  const server = http.createServer(toNodeHandler(auth));
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
