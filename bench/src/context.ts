import crypto from 'crypto';
import { BenchStack, type BenchSettings } from './stack';
import type { HttpLoadResult } from './http-load';

/** What every row gets: settings, output, and the one Usher stack of this run (started on first use). */
export interface BenchContext {
  settings: BenchSettings;
  say: (line: string) => void;
  stack(): Promise<BenchStack>;
  /** Figures one row hands to another in the same run (memory reads RSS after login, peer its req/s). */
  shared: { login?: HttpLoadResult; rssAfterLogin?: Record<string, number> };
}

export function createContext(settings: BenchSettings, say: (line: string) => void) {
  let stack: Promise<BenchStack> | undefined;
  const ctx: BenchContext = {
    settings,
    say,
    stack: () => {
      if (!stack) {
        say(
          `starting auth + users (bcrypt cost ${settings.bcryptCost}, UV_THREADPOOL_SIZE=${settings.threadPool}, fresh database)...`,
        );
        stack = BenchStack.start(settings);
      }
      return stack;
    },
    shared: {},
  };
  const stop = async () => {
    const s = await stack?.catch(() => undefined);
    stack = undefined;
    await s?.stop();
  };
  return { ctx, stop };
}

export interface BenchUser {
  id: string;
  email: string;
  username: string;
  secret: string;
}

/** A sign-up body with unique email and username. */
export function signUpBody(tag: string) {
  const suffix = `${tag}${crypto.randomBytes(6).toString('hex')}`;
  return {
    first_name: 'Bench',
    last_name: 'User',
    email: `bench.${suffix}@example.com`,
    credentials: { username: `bench_${suffix}`, secret: 'correct horse battery staple' },
  };
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function signUp(usersUrl: string, tag = 'u'): Promise<BenchUser> {
  const body = signUpBody(tag);
  const user = await postJson(`${usersUrl}/users`, body);
  return {
    id: String(user.id),
    email: body.email,
    username: body.credentials.username,
    secret: body.credentials.secret,
  };
}

export async function signIn(
  usersUrl: string,
  user: BenchUser,
): Promise<{ access: string; refresh: string }> {
  const t = await postJson(`${usersUrl}/users/tokens/issue`, {
    identity: user.username,
    secret: user.secret,
  });
  return { access: String(t.access_token), refresh: String(t.refresh_token) };
}
