import { ValidationError } from '../errors';
import type { BreachCheck } from '../ports';
import { commonPasswords } from './common';

export interface PasswordPolicyOptions {
  /** USHER_USERS_PASS_REGEX */
  passRegex: RegExp;
  /** The Have I Been Pwned range check (USHER_PASSWORD_BREACH_CHECK), when on. */
  breachCheck?: BreachCheck;
}

/** Whose password it is: it may not be their email address or username. */
export interface SecretOwner {
  email?: string;
  username?: string;
}

/**
 * NIST SP 800-63B for chosen passwords: at most 72 bytes (bcrypt), USHER_USERS_PASS_REGEX, not a
 * commonly used or breached password, not the account's email or username, and (optionally) not
 * in Have I Been Pwned. Each refusal is a 400 naming the field and the reason.
 */
export class PasswordPolicy {
  constructor(private readonly options: PasswordPolicyOptions) {}

  /** Everything but the breach check: synchronous, for use inside a transaction. */
  checkLocal(secret: string, field: string, owner: SecretOwner = {}): void {
    // bcrypt reads only the first 72 bytes: a longer secret would silently be cut.
    if (Buffer.byteLength(secret) > 72) throw new ValidationError('must be at most 72 bytes', field);
    if (!this.options.passRegex.test(secret)) {
      throw new ValidationError(`does not meet the password policy ${this.options.passRegex.source}`, field);
    }
    const lower = secret.toLowerCase();
    if (commonPasswords().has(lower)) {
      throw new ValidationError('is a commonly used password: choose another', field);
    }
    const email = owner.email?.trim().toLowerCase();
    if (email && lower === email) {
      throw new ValidationError('must not be the email address', field);
    }
    if (owner.username && lower === owner.username.trim().toLowerCase()) {
      throw new ValidationError('must not be the username', field);
    }
  }

  async check(secret: string, field: string, owner: SecretOwner = {}): Promise<void> {
    this.checkLocal(secret, field, owner);
    if (this.options.breachCheck && (await this.options.breachCheck.breached(secret))) {
      throw new ValidationError('appears in a known data breach (Have I Been Pwned): choose another', field);
    }
  }
}
