import { VerifiedTokens } from './verified-tokens';
import type { AccessClaims } from './tokens';

const claims = (jti: string): AccessClaims => ({
  iss: 'usher',
  sub: 'u',
  sid: 's',
  jti,
  iat: 1,
  exp: 2,
  type: 'access',
  role: 'viewer',
  verified: true,
});

describe('VerifiedTokens', () => {
  it('stays bounded, dropping the oldest first', () => {
    const cache = new VerifiedTokens(2);
    cache.add('a', 'k', claims('a'));
    cache.add('b', 'k', claims('b'));
    cache.add('c', 'k', claims('c'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.claims.jti).toBe('b');
    expect(cache.get('c')).toEqual({ kid: 'k', claims: claims('c') });
    cache.delete('c');
    expect(cache.get('c')).toBeUndefined();
  });
});
