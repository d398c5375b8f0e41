import { CliError, EXIT } from './output';
import { readCredentials, tokenExpiry, writeCredentials, type Credentials } from './credentials';

export const DEFAULT_URL = 'http://localhost:9002';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked by each command
  body: any;
}

/** The server to talk to: --url, else USHER_URL, else the one of the saved login, else localhost. */
export function resolveUrl(flag: string | undefined, saved: Credentials | null = readCredentials()): string {
  const url = flag || process.env.USHER_URL || saved?.url || DEFAULT_URL;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new CliError(`invalid URL: ${url} (expected http(s)://host:port)`, EXIT.usage, 'usage');
  }
  return url.replace(/\/+$/, '');
}

/** One HTTP call; a network failure becomes a clear message and exit code 7. */
export async function request(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { 'user-agent': 'usher-cli' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(Number(process.env.USHER_CLI_TIMEOUT_MS) || 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliError(`cannot reach the users service at ${base} (${why})`, EXIT.unreachable, 'unreachable');
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (
    res.status >= 200 &&
    res.status < 300 &&
    text &&
    typeof body === 'string' &&
    !path.startsWith('/health')
  ) {
    throw new CliError(
      `${base} does not look like the Usher users service (no JSON answer)`,
      EXIT.unreachable,
    );
  }
  return { status: res.status, headers: res.headers, body };
}

/** An error answer of the API as a CliError with the matching exit code. */
export function apiError(res: ApiAnswer, what: string): CliError {
  const b = (res.body ?? {}) as { error?: string; message?: string; retry_after?: number };
  const detail = b.message ?? (typeof res.body === 'string' ? res.body.slice(0, 200) : `HTTP ${res.status}`);
  const code = b.error ?? `http_${res.status}`;
  switch (res.status) {
    case 400:
      return new CliError(`${what}: ${detail}`, EXIT.usage, code);
    case 401:
      return new CliError(
        `${what}: not signed in or the session expired (${detail}); run: usher login`,
        EXIT.auth,
        code,
      );
    case 403:
      return new CliError(`${what}: forbidden (${detail})`, EXIT.forbidden, code);
    case 404:
      return new CliError(`${what}: not found (${detail})`, EXIT.notFound, code);
    case 409:
      return new CliError(`${what}: conflict (${detail})`, EXIT.conflict, code);
    case 423:
      return new CliError(
        `${what}: locked (${detail}, retry after ${b.retry_after ?? '?'}s)`,
        EXIT.auth,
        code,
      );
    default:
      return new CliError(`${what}: ${detail} (HTTP ${res.status})`, EXIT.error, code);
  }
}

/**
 * The signed-in API: the saved tokens, refreshed when the access token has expired (or is about to)
 * and once more when the server answers 401.
 */
export class Session {
  private constructor(
    readonly url: string,
    private creds: Credentials | null,
  ) {}

  static open(urlFlag: string | undefined): Session {
    const saved = readCredentials();
    const url = resolveUrl(urlFlag, saved);
    // Tokens belong to the server they came from: another URL means no saved login for it.
    return new Session(url, saved && saved.url === url ? saved : null);
  }

  get identity(): string | undefined {
    return this.creds?.identity;
  }

  private async refresh(): Promise<boolean> {
    if (!this.creds) return false;
    const res = await request(this.url, 'POST', '/users/tokens/refresh', { token: this.creds.refresh_token });
    if (res.status !== 201) return false;
    this.creds = {
      ...this.creds,
      access_token: res.body.access_token,
      refresh_token: res.body.refresh_token,
      saved_at: new Date().toISOString(),
    };
    writeCredentials(this.creds);
    return true;
  }

  /** A fresh access token, or undefined when not signed in (the server may not require one). */
  async token(): Promise<string | undefined> {
    if (!this.creds) return undefined;
    const exp = tokenExpiry(this.creds.access_token);
    if (exp !== undefined && exp * 1000 < Date.now() + 10_000) {
      if (!(await this.refresh())) {
        throw new CliError('the saved login has expired; run: usher login', EXIT.auth, 'expired');
      }
    }
    return this.creds.access_token;
  }

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const token = await this.token();
    const res = await request(this.url, method, path, { body, token });
    if (res.status === 401 && this.creds && (await this.refresh())) {
      return request(this.url, method, path, { body, token: this.creds.access_token });
    }
    if (res.status === 401 && !this.creds) {
      throw new CliError(`not signed in to ${this.url}; run: usher login`, EXIT.auth, 'unauthenticated');
    }
    return res;
  }

  /** Calls and expects one of `ok`; any other answer becomes a CliError. */
  async expect(method: string, path: string, ok: number[], what: string, body?: unknown): Promise<ApiAnswer> {
    const res = await this.call(method, path, body);
    if (!ok.includes(res.status)) throw apiError(res, what);
    return res;
  }
}
