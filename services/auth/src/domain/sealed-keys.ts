import { isSealed, SecretBox, SecretBoxError } from '@usher/config';
import type { KeyRepository, RotateKeyOptions, SigningKeyRecord } from './repositories';

/** Thrown at start when stored signing keys cannot be read with the configured key-encryption keys. */
export class KeyEncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyEncryptionError';
  }
}

const context = (kid: string) => `auth.signing_keys:${kid}`;

/**
 * Decorates a KeyRepository so private keys are stored sealed (AES-256-GCM envelope under the KEK,
 * bound to their kid) and opened on load. Without a box (development without a KEK) keys are stored
 * as plaintext PEM, and a sealed row fails with a message naming the missing variable.
 */
export class SealedKeyRepository implements KeyRepository {
  constructor(
    private readonly inner: KeyRepository,
    private readonly box: SecretBox | undefined,
  ) {}

  async listVerifying(now: Date): Promise<SigningKeyRecord[]> {
    const records = await this.inner.listVerifying(now);
    return records.map((r) => ({ ...r, privateKeyPem: this.open(r.kid, r.privateKeyPem) }));
  }

  rotate(key: SigningKeyRecord, options: RotateKeyOptions): Promise<boolean> {
    const privateKeyPem = this.box ? this.box.seal(key.privateKeyPem, context(key.kid)) : key.privateKeyPem;
    return this.inner.rotate({ ...key, privateKeyPem }, options);
  }

  listStoredPrivateKeys(): Promise<{ kid: string; privateKey: string }[]> {
    return this.inner.listStoredPrivateKeys();
  }

  replaceStoredPrivateKey(kid: string, expected: string, next: string): Promise<boolean> {
    return this.inner.replaceStoredPrivateKey(kid, expected, next);
  }

  /**
   * Run at start: checks every stored key opens with the configured KEKs (a wrong KEK stops the
   * start here, not at the first token), seals plaintext keys and re-seals keys of a previous KEK
   * under the current one. Returns counts only, never key material.
   */
  async sealAtRest(): Promise<{ sealed: number; rewrapped: number; total: number }> {
    const rows = await this.inner.listStoredPrivateKeys();
    let sealed = 0;
    let rewrapped = 0;
    for (const row of rows) {
      const plaintext = this.open(row.kid, row.privateKey);
      if (!this.box) continue;
      const wasSealed = isSealed(row.privateKey);
      if (wasSealed && !this.box.needsRewrap(row.privateKey)) continue;
      const next = this.box.seal(plaintext, context(row.kid));
      // another replica may have sealed it first: then its envelope stands
      if (await this.inner.replaceStoredPrivateKey(row.kid, row.privateKey, next)) {
        if (wasSealed) rewrapped++;
        else sealed++;
      }
    }
    return { sealed, rewrapped, total: rows.length };
  }

  private open(kid: string, stored: string): string {
    if (!isSealed(stored)) return stored;
    if (!this.box)
      throw new KeyEncryptionError(
        `signing key ${kid} is encrypted at rest but USHER_AUTH_KEY_ENCRYPTION_KEY is not set`,
      );
    try {
      return this.box.open(stored, context(kid));
    } catch (err) {
      if (err instanceof SecretBoxError)
        throw new KeyEncryptionError(
          `cannot decrypt signing key ${kid}: ${err.message} ` +
            '(check USHER_AUTH_KEY_ENCRYPTION_KEY and USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS)',
        );
      throw err;
    }
  }
}
