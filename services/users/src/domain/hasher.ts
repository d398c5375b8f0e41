import bcrypt from 'bcrypt';
import type { PasswordHasher } from '../ports';

/**
 * bcrypt with a configurable cost (USHER_BCRYPT_COST). Hashes are stored whole ($2b$12$...), so the
 * cost or algorithm can change later: needsRehash tells when a stored hash is from other settings.
 * bcrypt runs on libuv's thread pool; size UV_THREADPOOL_SIZE for the expected sign-in load.
 */
export class BcryptHasher implements PasswordHasher {
  constructor(private readonly cost: number) {}

  hash(secret: string): Promise<string> {
    return bcrypt.hash(secret, this.cost);
  }

  compare(secret: string, hash: string): Promise<boolean> {
    return bcrypt.compare(secret, hash);
  }

  needsRehash(hash: string): boolean {
    const match = /^\$2[aby]\$(\d\d)\$/.exec(hash);
    return !match || Number(match[1]) !== this.cost;
  }
}
