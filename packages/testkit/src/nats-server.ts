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
  options: { storeDir?: string } = {},
): Promise<PrivateNats> {
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (options.storeDir) args.push('-js', '-sd', options.storeDir);
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
