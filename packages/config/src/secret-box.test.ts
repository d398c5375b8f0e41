import crypto from 'crypto';
import { SecretBox, SecretBoxError, isSealed, kekId, parseKek } from './secret-box';
import { loadAuthConfig } from './auth';
import { natsConnection, redactUrl } from './nats';

const kek = () => crypto.randomBytes(32);

describe('SecretBox (AES-256-GCM envelope)', () => {
  it('seals to a versioned envelope naming the KEK id, never the plaintext, and opens it again', () => {
    const key = kek();
    const box = new SecretBox(key);
    const sealed = box.seal('-----BEGIN PRIVATE KEY-----secret', 'auth.signing_keys:k1');
    expect(sealed.startsWith(`usher-kek:v1:${kekId(key)}:`)).toBe(true);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed).not.toContain(key.toString('base64url'));
    expect(isSealed(sealed)).toBe(true);
    expect(box.open(sealed, 'auth.signing_keys:k1')).toBe('-----BEGIN PRIVATE KEY-----secret');
    // a fresh IV every time
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses an envelope moved to another record (context is authenticated)', () => {
    const box = new SecretBox(kek());
    const sealed = box.seal('secret', 'auth.signing_keys:k1');
    expect(() => box.open(sealed, 'auth.signing_keys:k2')).toThrow(SecretBoxError);
  });

  it('refuses a tampered ciphertext', () => {
    const box = new SecretBox(kek());
    const parts = box.seal('secret value', 'c').split(':');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join(':'), 'c')).toThrow(/does not decrypt/);
  });

  it('names the unknown KEK id (not the key) when the wrong KEK is configured', () => {
    const sealed = new SecretBox(kek()).seal('secret', 'c');
    const wrong = kek();
    expect(() => new SecretBox(wrong).open(sealed, 'c')).toThrow(/neither the configured key/);
    try {
      new SecretBox(wrong).open(sealed, 'c');
    } catch (err) {
      expect((err as Error).message).not.toContain(wrong.toString('base64'));
    }
  });

  it('opens envelopes of a previous KEK and reports that they need rewrapping', () => {
    const old = kek();
    const next = kek();
    const sealed = new SecretBox(old).seal('secret', 'c');
    const box = new SecretBox(next, [old]);
    expect(box.open(sealed, 'c')).toBe('secret');
    expect(box.needsRewrap(sealed)).toBe(true);
    expect(box.needsRewrap(box.seal('secret', 'c'))).toBe(false);
  });

  it('rejects malformed envelopes and versions clearly', () => {
    const box = new SecretBox(kek());
    expect(() => box.open('-----BEGIN PRIVATE KEY-----', 'c')).toThrow(/not a sealed secret/);
    expect(() => box.open('usher-kek:v9:a:b:c:d', 'c')).toThrow(/unsupported envelope version v9/);
    expect(() => box.open('usher-kek:v1:a:b:c:d', 'c')).toThrow(/malformed/);
  });

  it('parses hex and base64 KEKs of exactly 32 bytes', () => {
    const key = kek();
    expect(parseKek(key.toString('hex')).equals(key)).toBe(true);
    expect(parseKek(key.toString('base64')).equals(key)).toBe(true);
    expect(parseKek(key.toString('base64url')).equals(key)).toBe(true);
    expect(() => parseKek('short')).toThrow(/32 random bytes/);
    expect(() => parseKek(crypto.randomBytes(16).toString('hex'))).toThrow(/32 random bytes/);
  });
});

describe('auth config: key-encryption key', () => {
  it('is required with NODE_ENV=production', () => {
    expect(() => loadAuthConfig({ NODE_ENV: 'production' })).toThrow(
      /USHER_AUTH_KEY_ENCRYPTION_KEY: required/,
    );
  });

  it('rejects a malformed KEK naming the variable, without echoing it', () => {
    expect(() => loadAuthConfig({ USHER_AUTH_KEY_ENCRYPTION_KEY: 'hunter2-not-a-key' })).toThrow(
      /USHER_AUTH_KEY_ENCRYPTION_KEY: expected 32 random bytes/,
    );
    try {
      loadAuthConfig({ USHER_AUTH_KEY_ENCRYPTION_KEY: 'hunter2-not-a-key' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('reads the current and comma-separated previous KEKs', () => {
    const [a, b, c] = [kek(), kek(), kek()];
    const config = loadAuthConfig({
      NODE_ENV: 'production',
      USHER_AUTH_GRPC_SERVER_CERT: '/tls/auth.crt',
      USHER_AUTH_GRPC_SERVER_KEY: '/tls/auth.key',
      USHER_AUTH_GRPC_CLIENT_CA_CERTS: '/tls/ca.crt',
      USHER_AUTH_KEY_ENCRYPTION_KEY: a.toString('base64'),
      USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS: `${b.toString('hex')},${c.toString('base64')}`,
    });
    expect(config.keyEncryption.current?.equals(a)).toBe(true);
    expect(config.keyEncryption.previous.map((k) => k.toString('hex'))).toEqual([
      b.toString('hex'),
      c.toString('hex'),
    ]);
  });

  it('leaves keys plaintext in development without a KEK, but not with only a previous one', () => {
    expect(loadAuthConfig({}).keyEncryption.current).toBeUndefined();
    expect(() => loadAuthConfig({ USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS: kek().toString('hex') })).toThrow(
      /required when USHER_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS is set/,
    );
  });
});

describe('NATS URLs with credentials', () => {
  it('takes user and password out of the URL', () => {
    expect(natsConnection('nats://auth:p%40ss@nats:4222')).toEqual({
      servers: 'nats://nats:4222',
      user: 'auth',
      pass: 'p@ss',
    });
  });

  it('takes a token out of the URL', () => {
    expect(natsConnection('nats://s3cret@nats:4222')).toEqual({
      servers: 'nats://nats:4222',
      token: 's3cret',
    });
  });

  it('leaves a URL without credentials alone', () => {
    expect(natsConnection('nats://localhost:4222')).toEqual({ servers: 'nats://localhost:4222' });
  });

  it('redacts credentials for logs', () => {
    expect(redactUrl('nats://auth:secret@nats:4222')).toBe('nats://***@nats:4222');
    expect(redactUrl('nats://nats:4222')).toBe('nats://nats:4222');
  });
});
