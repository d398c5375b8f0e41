import crypto from 'crypto';
import { API_KEY_PREFIX, generateApiKey, isApiKey, parseApiKey, secretMatches } from './api-keys';

describe('API key format', () => {
  it('round-trips the id and keeps only a hash of the secret', () => {
    const id = crypto.randomUUID();
    const { key, secretHash } = generateApiKey(id);
    expect(isApiKey(key)).toBe(true);
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    const parsed = parseApiKey(key);
    expect(parsed?.id).toBe(id);
    expect(parsed!.secret).toHaveLength(43); // 32 bytes, base64url
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain(secretHash);
    expect(secretMatches(parsed!.secret, secretHash)).toBe(true);
  });

  it('refuses other secrets and malformed keys', () => {
    const { key, secretHash } = generateApiKey(crypto.randomUUID());
    const other = generateApiKey(crypto.randomUUID());
    expect(secretMatches(parseApiKey(other.key)!.secret, secretHash)).toBe(false);
    expect(secretMatches(parseApiKey(key)!.secret, 'not-hex')).toBe(false);
    for (const bad of [
      '',
      API_KEY_PREFIX,
      `${key}=`,
      key.toUpperCase(),
      key.slice(1),
      `${key.slice(0, 42)}-${key.slice(43)}`,
    ])
      expect(parseApiKey(bad)).toBeUndefined();
    expect(isApiKey('eyJhbGciOiJFUzI1NiJ9.e30.sig')).toBe(false);
  });
});
