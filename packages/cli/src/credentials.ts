import fs from 'fs';
import os from 'os';
import path from 'path';

/** What `usher login` keeps: the server and the token pair, never the password. */
export interface Credentials {
  url: string;
  identity: string;
  access_token: string;
  refresh_token: string;
  saved_at: string;
}

/** $XDG_CONFIG_HOME/usher, or ~/.config/usher. */
export function configDir(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'usher');
}

export function credentialsPath(): string {
  return path.join(configDir(), 'credentials.json');
}

export function readCredentials(): Credentials | null {
  let text: string;
  try {
    text = fs.readFileSync(credentialsPath(), 'utf8');
  } catch {
    return null;
  }
  try {
    const c = JSON.parse(text) as Credentials;
    return typeof c.access_token === 'string' && typeof c.url === 'string' ? c : null;
  } catch {
    return null;
  }
}

/** Written with mode 0600 (in a 0700 directory), replaced atomically. */
export function writeCredentials(c: Credentials): void {
  const dir = configDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = credentialsPath();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function deleteCredentials(): boolean {
  try {
    fs.unlinkSync(credentialsPath());
    return true;
  } catch {
    return false;
  }
}

/** The `exp` of a JWT, in seconds; undefined when the token is not a readable JWT. */
export function tokenExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}
