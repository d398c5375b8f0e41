import fs from 'fs';
import net from 'net';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';

/** Where every benchmark child process writes its output, and where CPU profiles go. */
export const RESULTS_DIR = path.join(__dirname, '..', 'results');
export const LOG_DIR = path.join(RESULTS_DIR, 'logs');
export const PROFILE_DIR = path.join(RESULTS_DIR, 'profiles');

/** Set by `pnpm bench --cpu-prof`: service processes run under `node --cpu-prof`. */
export const cpuProfiling = { on: false };

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Proc>();

/**
 * Starts `node <script> [args]` with exactly `env` (plus PATH/HOME), stdout and stderr to a log file
 * under bench/results/logs. With `profile`, under `--cpu-prof` into bench/results/profiles.
 */
export function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  opts: { args?: string[]; profile?: boolean } = {},
): Proc {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const out = fs.openSync(logFile, 'w');
  const nodeArgs: string[] = [];
  if (opts.profile && cpuProfiling.on) {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${PROFILE_DIR}`,
      `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
    );
  }
  const child = spawn(process.execPath, [...nodeArgs, script, ...(opts.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    logFile,
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        running.delete(proc);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => (clearTimeout(force), resolve()));
        child.kill('SIGTERM');
      }),
  };
  running.add(proc);
  return proc;
}

/** Kills whatever is still running (on a crash of the harness). */
export function killAll(): void {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  running.clear();
}

const tail = (file: string, lines = 15) => {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};

const connects = (port: number, host: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Resolves once `proc` listens on port; fails with the end of its log when it exits or times out. */
export async function waitListening(proc: Proc, port: number, timeoutMs = 60_000, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited with code ${proc.child.exitCode}:\n${tail(proc.logFile)}`);
    if (await connects(port, host)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${proc.name} did not listen on ${host}:${port} in ${timeoutMs / 1000}s:\n${tail(proc.logFile)}`,
  );
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); NaN when unreadable. */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs a child script to completion and parses the JSON it prints last. */
export function runJsonChild<T>(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(new Error(`${name} failed (${(e as Error).message}): ${err.trim() || out.trim()}`));
      }
    });
  });
}

/** CPU time (user + system) of a process so far, in clock ticks; NaN when unreadable. */
export function cpuTicks(pid: number): number {
  try {
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

/**
 * Waits until the processes are idle (under ~5% of a core for half a second), at most `timeoutMs`.
 * Between the rounds of a row: a server keeps working on requests queued before the load generator
 * stopped (a bcrypt queue takes seconds to drain), which would otherwise run during the baseline.
 */
export async function waitIdle(pids: number[], timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const total = () => pids.reduce((a, pid) => a + (cpuTicks(pid) || 0), 0);
  let last = total();
  let quiet = 0;
  while (Date.now() < deadline && quiet < 2) {
    await new Promise((r) => setTimeout(r, 250));
    const now = total();
    quiet = now - last <= 1 ? quiet + 1 : 0; // 1 tick of 10 ms in 250 ms: ~4% of a core
    last = now;
  }
  return Date.now() - started;
}
