import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { freePort, waitForPort } from '@usher/testkit';

// The browser side of an external sign-in, shared by the OAuth tests: a cookie jar per site that
// follows every redirect by hand, and a real certified OpenID provider (oidc-provider) in its own
// process.

export const CALLBACK = 'http://usher.test/oauth/callback';
export const CLIENT = { id: 'usher-test', secret: 'usher-test-secret-0123456789' };

/** Cookies per host, as a browser keeps them (paths ignored: one flow at a time). */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();
  constructor(private readonly usersUrl: string) {}

  /** usher.test is the public name of the users service in the redirect URI. */
  resolve(url: string): URL {
    return new URL(
      url.startsWith('http://usher.test') ? url.replace('http://usher.test', this.usersUrl) : url,
    );
  }

  cookies(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  /** One request, no redirect followed; Set-Cookie kept. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const u = this.resolve(url);
    const jar = this.cookies(u.host);
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(u, {
      method: init.method ?? 'GET',
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    await res.text();
    return {
      status: res.status,
      location: location ? new URL(location, u).toString() : '',
      headers: res.headers,
    };
  }
}

export interface Person {
  sub: string;
  email: string;
  verified: boolean;
}

/** Starts op-server.mjs on a free port; its issuer URL and the child to kill. */
export async function startOp(): Promise<{ issuer: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'op-server.mjs')], {
    env: {
      PATH: process.env.PATH,
      OP_PORT: String(port),
      OP_CLIENT_ID: CLIENT.id,
      OP_CLIENT_SECRET: CLIENT.secret,
      OP_REDIRECT_URI: `${CALLBACK}/local`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port, '127.0.0.1', 60_000);
  return { issuer: `http://127.0.0.1:${port}`, child };
}

/** Starts at Usher, logs in at the provider, and stops at the callback URL the provider sent back. */
export async function toCallback(
  b: Browser,
  usersUrl: string,
  person: Person | 'deny',
  provider = 'local',
): Promise<string> {
  const start = await b.request(`${usersUrl}/oauth/authorize/${provider}`);
  if (start.status !== 302) throw new Error(`authorize answered ${start.status}`);
  let url = start.location;
  for (let i = 0; i < 10; i++) {
    if (url.startsWith(CALLBACK)) return url;
    const m = /\/interaction\/([^/?]+)$/.exec(new URL(url).pathname);
    const res = m
      ? await b.request(`${url}/login`, {
          method: 'POST',
          form:
            person === 'deny'
              ? { deny: '1' }
              : { sub: person.sub, email: person.email, email_verified: String(person.verified) },
        })
      : await b.request(url);
    if (![302, 303].includes(res.status)) throw new Error(`provider answered ${res.status} at ${url}`);
    url = res.location;
  }
  throw new Error(`no callback after 10 redirects: ${url}`);
}
