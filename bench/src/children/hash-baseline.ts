// Baseline child: raw password hashing in a process of its own, so UV_THREADPOOL_SIZE (set by the
// parent in the environment) applies exactly as it does to the services.
//   node hash-baseline.js <bcrypt-compare|bcrypt-hash|scrypt-verify> <cost> <concurrency> <seconds>
// Prints one JSON line: { ops, seconds, opsPerSec, threadPool }.
import crypto from 'crypto';
import { promisify } from 'util';
import bcrypt from 'bcrypt';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

async function main() {
  const [mode = 'bcrypt-compare', costArg = '12', concurrencyArg = '32', secondsArg = '10'] =
    process.argv.slice(2);
  const cost = Number(costArg);
  const concurrency = Number(concurrencyArg);
  const seconds = Number(secondsArg);
  const secret = 'correct horse battery staple';
  const hash = await bcrypt.hash(secret, cost);
  // better-auth's default: scrypt N=16384, r=16, p=1, 64-byte key, salt as hex text
  const salt = crypto.randomBytes(16).toString('hex');
  const once: () => Promise<unknown> =
    mode === 'bcrypt-hash'
      ? () => bcrypt.hash(secret, cost)
      : mode === 'scrypt-verify'
        ? () =>
            scrypt(secret.normalize('NFKC'), salt, 64, {
              N: 16384,
              r: 16,
              p: 1,
              maxmem: 128 * 16384 * 16 * 2,
            })
        : () => bcrypt.compare(secret, hash);
  // warm-up: one operation per pool thread
  await Promise.all(
    Array.from({ length: Math.min(concurrency, Number(process.env.UV_THREADPOOL_SIZE || 4)) }, once),
  );
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  let ops = 0;
  let lastDone = started;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await once();
        ops++;
        lastDone = process.hrtime.bigint();
      }
    }),
  );
  const elapsed = Number(lastDone - started) / 1e9;
  process.stdout.write(
    JSON.stringify({
      mode,
      cost,
      concurrency,
      ops,
      seconds: elapsed,
      opsPerSec: ops / elapsed,
      threadPool: process.env.UV_THREADPOOL_SIZE,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
