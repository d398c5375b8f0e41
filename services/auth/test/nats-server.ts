import fs from 'fs';
import { spawn, type ChildProcess } from 'child_process';
import { waitForPort } from '@usher/testkit';

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

/** A nats-server of this test's own on 127.0.0.1:port, so the test can stop it mid-way. */
export async function startNatsServer(binary: string, port: number): Promise<PrivateNats> {
  const child: ChildProcess = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
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
