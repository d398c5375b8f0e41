import { isIP } from 'net';
import { z } from 'zod';
import { bool, positiveDuration, url } from './fields';

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
  /** Also refuse passwords Have I Been Pwned knows (range API, k-anonymity); off by default. */
  USHER_PASSWORD_BREACH_CHECK: bool(false),
  USHER_PASSWORD_BREACH_CHECK_URL: url(['http', 'https']).default('https://api.pwnedpasswords.com'),
  USHER_PASSWORD_BREACH_CHECK_TIMEOUT: positiveDuration('2s'),
};

export interface SecurityConfig {
  /** USHER_TRUSTED_PROXIES, parsed. */
  trustedProxies: string[];
  /** USHER_PASSWORD_BREACH_CHECK(_URL, _TIMEOUT): fails open (with a warning) when unreachable. */
  breachCheck: { enabled: boolean; baseUrl: string; timeoutMs: number };
}

type SecurityEnv = { [K in keyof typeof securityFields]: z.output<(typeof securityFields)[K]> };

export function securityConfig(e: SecurityEnv): SecurityConfig {
  return {
    trustedProxies: e.USHER_TRUSTED_PROXIES,
    breachCheck: {
      enabled: e.USHER_PASSWORD_BREACH_CHECK,
      baseUrl: e.USHER_PASSWORD_BREACH_CHECK_URL,
      timeoutMs: e.USHER_PASSWORD_BREACH_CHECK_TIMEOUT,
    },
  };
}
