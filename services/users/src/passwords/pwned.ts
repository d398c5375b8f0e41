import { createHash } from 'crypto';
import type { Logger } from '@usher/telemetry';
import type { BreachCheck } from '../ports';

export interface PwnedOptions {
  /** USHER_PASSWORD_BREACH_CHECK_URL: the range API's base (https://api.pwnedpasswords.com). */
  baseUrl: string;
  /** USHER_PASSWORD_BREACH_CHECK_TIMEOUT */
  timeoutMs: number;
  logger: Logger;
}

/**
 * Have I Been Pwned's range API by k-anonymity: only the first 5 hex digits of the password's
 * SHA-1 leave the service (with Add-Padding, so the answer's size tells nothing either); the
 * suffix is looked up locally. Unreachable or broken answers fail open with a warning: the other
 * checks still apply and sign-up keeps working.
 */
export class PwnedPasswords implements BreachCheck {
  constructor(private readonly options: PwnedOptions) {}

  async breached(secret: string): Promise<boolean> {
    const sha1 = createHash('sha1').update(secret, 'utf8').digest('hex').toUpperCase();
    const prefix = sha1.slice(0, 5);
    const suffix = sha1.slice(5);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/range/${prefix}`;
    try {
      const res = await fetch(url, {
        headers: { 'Add-Padding': 'true', 'User-Agent': 'usher-users' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!res.ok) throw new Error(`range API answered ${res.status}`);
      const text = await res.text();
      for (const line of text.split('\n')) {
        const [hash, count] = line.trim().split(':');
        if (hash === suffix && Number(count) > 0) return true;
      }
      return false;
    } catch (err) {
      this.options.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'password breach check unreachable: accepting the password on the other checks (fail open)',
      );
      return false;
    }
  }
}
