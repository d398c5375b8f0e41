#!/usr/bin/env node
// Container helper for the Usher images (copied to /app/usher-probe.js); plain Node, no dependencies.
//
//   node usher-probe.js health    exit 0 when the service's GET /health answers 200 (Docker HEALTHCHECK,
//                                 Kubernetes exec probes when the users service requires client certs)
//   node usher-probe.js migrate   one-off migration run (the Kubernetes Job): start the service, which
//                                 migrates its schema under an advisory lock before it listens, wait
//                                 for /health, then SIGTERM it; exit 0 only when it started and drained.
//
// USHER_SERVICE (users | auth, set by the image) picks the port variables; USHER_MAIN (default
// dist/main.js) is the service entry point; USHER_MIGRATE_TIMEOUT (seconds, default 300) bounds `migrate`.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { spawn } = require('child_process');

const env = process.env;

function target() {
  const service = env.USHER_SERVICE;
  if (service === 'auth') {
    const port = env.USHER_AUTH_METRICS_PORT || env.USHER_AUTH_HTTP_PORT || 8189; // the older name is still read
    return { url: `http://127.0.0.1:${port}/health`, tls: undefined };
  }
  if (service === 'users') {
    const port = env.USHER_USERS_HTTP_PORT || 9002;
    if (!(env.USHER_USERS_HTTP_SERVER_CERT && env.USHER_USERS_HTTP_SERVER_KEY)) {
      return { url: `http://127.0.0.1:${port}/health`, tls: undefined };
    }
    // Liveness, not identity: the server certificate is not verified. When the server requires client
    // certificates, USHER_PROBE_CLIENT_CERT / _KEY name the probe's own (one the client CA signed).
    const read = (file) => (file ? fs.readFileSync(file) : undefined);
    return {
      url: `https://127.0.0.1:${port}/health`,
      tls: {
        rejectUnauthorized: false,
        cert: read(env.USHER_PROBE_CLIENT_CERT),
        key: read(env.USHER_PROBE_CLIENT_KEY),
      },
    };
  }
  throw new Error(`USHER_SERVICE must be users or auth, got "${service ?? ''}"`);
}

/** Resolves true when GET /health answers 200 within the timeout. */
function healthy({ url, tls }, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { timeout: timeoutMs, agent: false, ...(tls ?? {}) }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

async function health() {
  process.exit((await healthy(target())) ? 0 : 1);
}

async function migrate() {
  const probe = target();
  const main = path.resolve(env.USHER_MAIN || 'dist/main.js');
  const deadline = Date.now() + Number(env.USHER_MIGRATE_TIMEOUT || 300) * 1000;
  const child = spawn(process.execPath, [main], { stdio: 'inherit' });
  let exit;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));

  let up = false;
  while (!exit && Date.now() < deadline) {
    if (await healthy(probe, 1000)) {
      up = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (exit) {
    console.error(`usher migrate: ${env.USHER_SERVICE} exited before it became healthy (code ${exit.code})`);
    process.exit(1);
  }
  if (!up) {
    console.error(`usher migrate: ${env.USHER_SERVICE} did not become healthy in time`);
    child.kill('SIGKILL');
    await exited;
    process.exit(1);
  }
  child.kill('SIGTERM');
  const { code } = await exited;
  console.error(`usher migrate: ${env.USHER_SERVICE} migrated and drained (exit ${code})`);
  process.exit(code === 0 ? 0 : 1);
}

const command = process.argv[2];
const run = { health, migrate }[command];
if (!run) {
  console.error('usage: usher-probe.js health | migrate');
  process.exit(2);
}
run().catch((error) => {
  console.error(`usher-probe: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
