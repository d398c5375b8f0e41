import { isIP } from 'net';
import { z } from 'zod';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP address or CIDR block (v4 or v6), or one of express's names: loopback, linklocal, uniquelocal. */
export function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length || !address) return false;
  const family = isIP(address);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Variables of issue 16 (account security) for the users service. */
export const securityFields = {
  /**
   * USHER_TRUSTED_PROXIES: comma-separated CIDRs (or loopback, linklocal, uniquelocal) whose
   * X-Forwarded-For is believed; default loopback. Anyone else's header is ignored.
   */
  USHER_TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every(isProxyEntry),
      'expected comma-separated CIDRs or loopback/linklocal/uniquelocal',
    ),
};

export interface SecurityConfig {
  /** USHER_TRUSTED_PROXIES, parsed. */
  trustedProxies: string[];
}

export function securityConfig(e: { USHER_TRUSTED_PROXIES: string[] }): SecurityConfig {
  return { trustedProxies: e.USHER_TRUSTED_PROXIES };
}
