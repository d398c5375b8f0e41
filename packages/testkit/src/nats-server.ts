import fs from 'fs';
import { spawn, type ChildProcess } from 'child_process';
import { waitForPort } from './net';

const CANDIDATES = [
  process.env.USHER_TEST_NATS_SERVER,
  '/usr/sbin/nats-server',
  '/usr/local/bin/nats-server',
  '/usr/bin/nats-server',
];

/** The nats-server binary, if this machine has one. */
export const natsServerBinary = (): string | undefined =>
  CANDIDATES.find((p): p is string => !!p && fs.existsSync(p));

export interface PrivateNats {
  url: string;
  stop(): Promise<void>;
}

/**
 * A nats-server of the test's own on 127.0.0.1:port, so the test can stop it mid-way (and start it
 * again on the same port and store to see what survives). `storeDir` turns JetStream on.
 */
export async function startNatsServer(
  binary: string,
  port: number,
  options: {
    storeDir?: string;
    /** A configuration file (e.g. docker/nats/nats.conf); the command line overrides its ports and store. */
    config?: string;
    /** Port of the monitoring endpoint when `config` sets one (required then: 8222 may be taken). */
    monitorPort?: number;
    /** Extra environment of the server (variables the configuration file references). */
    env?: Record<string, string>;
  } = {},
): Promise<PrivateNats> {
  const args = options.config ? ['-c', options.config] : [];
  args.push('-a', '127.0.0.1', '-p', String(port));
  if (options.monitorPort) args.push('-m', String(options.monitorPort));
  if (options.storeDir) args.push('-js', '-sd', options.storeDir);
  const child: ChildProcess = spawn(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nats-server did not start on port ${port}: ${(err as Error).message}\n${stderr}`, {
      cause: err,
    });
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
