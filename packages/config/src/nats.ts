/** Options for `nats.connect()` from one URL: credentials in the URL become user/pass or a token. */
export interface NatsConnection {
  /** The server URL without credentials (safe to log). */
  servers: string;
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * `nats://user:password@host:4222` connects as a NATS user, `nats://token@host:4222` with a token
 * (percent-encode reserved characters). The nats client ignores credentials in URLs, so they are
 * taken out here and passed as options.
 */
export function natsConnection(url: string): NatsConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { servers: url };
  }
  const user = decodeURIComponent(parsed.username);
  const pass = decodeURIComponent(parsed.password);
  if (!user && !pass) return { servers: url };
  parsed.username = '';
  parsed.password = '';
  const servers = parsed.toString().replace(/\/$/, '');
  if (!pass) return { servers, token: user };
  return { servers, user, pass };
}

/** The URL with any credentials replaced by `***`, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
