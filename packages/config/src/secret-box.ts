import crypto from 'crypto';

// Envelope encryption of secrets at rest (signing keys now, TOTP secrets later): AES-256-GCM under a
// key-encryption key (KEK) taken from the environment. Envelope (one ASCII string, safe in a text
// column):
//
//   usher-kek:v1:<key id>:<iv>:<ciphertext>:<tag>      (iv, ciphertext, tag: base64url)
//
// The key id is a fingerprint of the KEK (never the KEK itself), so a box holding the current and
// the previous KEK opens both and knows which rows still need re-encrypting. The caller passes a
// context (e.g. "auth.signing_keys:<kid>") bound as additional authenticated data: a ciphertext
// copied into another row does not open there.

const PREFIX = 'usher-kek';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A KEK that is malformed, wrong, or missing for a sealed value. The message never holds key material. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Decodes a KEK: 32 random bytes as 64 hex characters or as (url-safe) base64, e.g. the output of
 * `openssl rand -base64 32`. Throws a SecretBoxError naming the expected format.
 */
export function parseKek(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
      ? Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : Buffer.alloc(0);
  if (key.length !== KEY_BYTES)
    throw new SecretBoxError(
      'expected 32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)',
    );
  return key;
}

/** Fingerprint of a KEK: the first 8 bytes of HMAC-SHA256(kek, label), hex. Reveals nothing of the key. */
export function kekId(kek: Buffer): string {
  return crypto.createHmac('sha256', kek).update('usher-kek-id').digest('hex').slice(0, 16);
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:`);
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  /** Key id of the KEK new envelopes are sealed with. */
  readonly currentId: string;

  /** `current` seals and opens; each of `previous` only opens (KEK rotation). */
  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentId = kekId(current);
    for (const key of [current, ...previous]) {
      if (key.length !== KEY_BYTES) throw new SecretBoxError('a key-encryption key must be 32 bytes');
      const id = kekId(key);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(key));
    }
  }

  seal(plaintext: string, context: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key(this.currentId), iv);
    cipher.setAAD(Buffer.from(aad(this.currentId, context)));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [PREFIX, VERSION, this.currentId, ...parts].join(':');
  }

  /** The plaintext; SecretBoxError when the envelope is malformed, its KEK unknown or it was tampered with. */
  open(envelope: string, context: string): string {
    const { id, iv, ciphertext, tag } = parse(envelope);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key(id), iv);
    decipher.setAAD(Buffer.from(aad(id, context)));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `a secret sealed under key-encryption key ${id} does not decrypt (${context}): tampered with or stored for another record`,
      );
    }
  }

  /** True when the envelope was sealed under a KEK other than the current one (re-encrypt it). */
  needsRewrap(envelope: string): boolean {
    return parse(envelope).id !== this.currentId;
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key)
      throw new SecretBoxError(
        `a secret is sealed under key-encryption key ${id}, which is neither the configured key ` +
          `(${this.currentId}) nor a previous one: set the KEK it was sealed with as the previous key`,
      );
    return key;
  }
}

const aad = (id: string, context: string) => `${PREFIX}:${VERSION}:${id}:${context}`;

function parse(envelope: string): { id: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = envelope.split(':');
  if (parts.length !== 6 || parts[0] !== PREFIX)
    throw new SecretBoxError('not a sealed secret (expected usher-kek:v1:...)');
  if (parts[1] !== VERSION) throw new SecretBoxError(`unsupported envelope version ${parts[1]}`);
  const [id, iv, ciphertext, tag] = [
    parts[2] ?? '',
    ...parts.slice(3).map((p) => Buffer.from(p, 'base64url')),
  ] as [string, Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES || ciphertext.length === 0)
    throw new SecretBoxError('malformed sealed secret');
  return { id, iv, ciphertext, tag };
}
