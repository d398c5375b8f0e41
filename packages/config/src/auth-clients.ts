import crypto from 'crypto';
import { ConfigError } from './load';

// Callers of the auth gRPC API (issue 15): every one is a named service with permission sets.
//   USHER_AUTH_CLIENTS         users=issuer,billing=verifier,ops=admin,ci=issuer+admin
//   USHER_AUTH_CLIENT_SECRETS  users=sha256:<64 hex>,billing=sha256:<64 hex>
// With mTLS the name comes from the client certificate; without TLS (development, tests) from the
// `usher-client-id` metadata, proven by `usher-client-secret`, whose SHA-256 the auth service
// holds (never the secret). Secrets are 32 random bytes, so a fast hash is enough: there is
// nothing to guess (`generateClientSecret`, `hashClientSecret`).

export const PERMISSION_SETS = ['issuer', 'verifier', 'admin'] as const;
export type PermissionSet = (typeof PERMISSION_SETS)[number];

/** Client name -> the permission sets it holds. */
export type AuthClients = ReadonlyMap<string, readonly PermissionSet[]>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const HASH = /^sha256:[0-9a-f]{64}$/;

function pairs(variable: string, text: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    const name = at > 0 ? item.slice(0, at).trim() : '';
    if (!NAME.test(name))
      throw new ConfigError([{ variable, reason: `expected name=value pairs, got "${item.slice(0, 40)}"` }]);
    if (seen.has(name)) throw new ConfigError([{ variable, reason: `${name} is listed twice` }]);
    seen.add(name);
    out.push([name, item.slice(at + 1).trim()]);
  }
  return out;
}

export function parseAuthClients(text: string): AuthClients {
  const clients = new Map<string, PermissionSet[]>();
  for (const [name, value] of pairs('USHER_AUTH_CLIENTS', text)) {
    const sets = value.split('+').map((s) => s.trim());
    for (const set of sets)
      if (!(PERMISSION_SETS as readonly string[]).includes(set))
        throw new ConfigError([
          {
            variable: 'USHER_AUTH_CLIENTS',
            reason: `${name}: unknown permission set "${set}" (expected ${PERMISSION_SETS.join(', ')}, joined with +)`,
          },
        ]);
    clients.set(name, [...new Set(sets as PermissionSet[])]);
  }
  return clients;
}

/** Client name -> `sha256:<hex>` of its secret; every name must be one of `clients`. */
export function parseClientSecrets(text: string, clients: AuthClients): ReadonlyMap<string, string> {
  const hashes = new Map<string, string>();
  for (const [name, hash] of pairs('USHER_AUTH_CLIENT_SECRETS', text)) {
    // the value is never echoed: an operator may have pasted the secret itself by mistake
    if (!HASH.test(hash))
      throw new ConfigError([
        {
          variable: 'USHER_AUTH_CLIENT_SECRETS',
          reason: `${name}: expected sha256:<64 lowercase hex> (the hash of the secret, never the secret)`,
        },
      ]);
    if (!clients.has(name))
      throw new ConfigError([
        { variable: 'USHER_AUTH_CLIENT_SECRETS', reason: `${name} is not in USHER_AUTH_CLIENTS` },
      ]);
    hashes.set(name, hash);
  }
  return hashes;
}

/** A new client secret: 32 random bytes, base64url. */
export function generateClientSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** What USHER_AUTH_CLIENT_SECRETS holds for a secret. */
export function hashClientSecret(secret: string): string {
  return 'sha256:' + crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `name=sets` and `name=hash` lists, as the two variables take them. */
export function formatAuthClients(
  clients: { name: string; sets: readonly PermissionSet[]; secret?: string }[],
): { USHER_AUTH_CLIENTS: string; USHER_AUTH_CLIENT_SECRETS: string } {
  return {
    USHER_AUTH_CLIENTS: clients.map((c) => `${c.name}=${c.sets.join('+')}`).join(','),
    USHER_AUTH_CLIENT_SECRETS: clients
      .filter((c) => c.secret)
      .map((c) => `${c.name}=${hashClientSecret(c.secret!)}`)
      .join(','),
  };
}
