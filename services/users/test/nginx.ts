import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { freePort, waitForPort } from '@usher/testkit';

// The nginx gateway of docker/nginx/templates/usher.conf.template in a real nginx (Debian's package)
// on loopback, for gateway.test.ts and gateway-auth.test.ts.

export const TEMPLATES = path.join(__dirname, '../../../docker/nginx/templates');
export const TEMPLATE_VARS = [
  'USHER_USERS_UPSTREAM',
  'USHER_GATEWAY_LISTEN',
  'USHER_AUTH_HTTP_UPSTREAM',
  'USHER_EXAMPLE_UPSTREAM',
];

function findNginx(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const candidates = [
    process.env.USHER_TEST_NGINX,
    ...dirs.map((d) => path.join(d, 'nginx')),
    '/usr/sbin/nginx',
    '/usr/local/sbin/nginx',
    '/usr/local/nginx/sbin/nginx',
  ];
  return candidates.find((c): c is string => {
    if (!c) return false;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const NGINX = findNginx();
const missing = 'nginx is not installed (apt-get install -y nginx, or set USHER_TEST_NGINX)';
if (!NGINX && process.env.USHER_TEST_REQUIRE_SERVICES === '1') {
  throw new Error(`${missing} and USHER_TEST_REQUIRE_SERVICES=1`);
}
if (!NGINX) console.warn(`skipping gateway tests: ${missing}`);
export const describeNginx = NGINX ? describe : describe.skip;

/** envsubst as the nginx image runs it: only variables that are set are replaced. */
export function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export interface Gateway {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** The template in a real nginx on loopback; upstreams not given point at a closed port. */
export async function startGateway(upstream: string, more: Record<string, string> = {}): Promise<Gateway> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-gateway-'));
  fs.chmodSync(dir, 0o755); // nginx workers run as nobody when the test runs as root
  const port = await freePort();
  const template = fs.readFileSync(path.join(TEMPLATES, 'usher.conf.template'), 'utf8');
  fs.writeFileSync(
    path.join(dir, 'usher.conf'),
    render(template, {
      USHER_AUTH_HTTP_UPSTREAM: '127.0.0.1:9',
      USHER_EXAMPLE_UPSTREAM: '127.0.0.1:9',
      ...more,
      USHER_USERS_UPSTREAM: upstream,
      USHER_GATEWAY_LISTEN: `127.0.0.1:${port}`,
    }),
  );
  const conf = path.join(dir, 'nginx.conf');
  const errorLog = path.join(dir, 'error.log');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${dir}/${t}_temp;`)
    .join('\n');
  fs.writeFileSync(
    conf,
    `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 256; }
http {
${temp}
  include ${dir}/usher.conf;
}
`,
  );
  const args = ['-p', `${dir}/`, '-c', conf, '-e', errorLog];
  // stdout must not be a socket: the config logs to /dev/stdout
  execFileSync(NGINX!, ['-t', '-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const child: ChildProcess = spawn(NGINX!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const died = exited.then(() => {
    const log = fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '';
    throw new Error(`nginx exited: ${stderr}${log}`);
  });
  await Promise.race([waitForPort(port, '127.0.0.1', 10_000), died]);
  died.catch(() => undefined); // later exits (stop) are expected
  return {
    port,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: bodies are checked by assertions
  body: any;
}

/** One request to the gateway from a chosen loopback source address (a "client IP"). */
export function send(
  port: number,
  method: string,
  url: string,
  opts: { from?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Reply> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
