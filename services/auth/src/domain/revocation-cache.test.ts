import { MAX_FUTURE_SKEW_MS, RevocationCache } from './revocation-cache';

const S1 = '00000000-0000-4000-8000-000000000001';
const U1 = '00000000-0000-4000-8000-0000000000aa';

describe('RevocationCache', () => {
  let now = 1_700_000_000_000;
  const cache = () => new RevocationCache(60_000, () => now);

  it('remembers revoked sessions and the highest valid-after per user, idempotently', () => {
    const c = cache();
    c.apply([{ seq: 1, kind: 'session', subject: S1, at: now }]);
    c.apply([{ seq: 1, kind: 'session', subject: S1, at: now }]);
    c.apply([{ seq: 2, kind: 'user', subject: U1, at: now - 5_000 }]);
    c.apply([{ seq: 3, kind: 'user', subject: U1, at: now - 1_500 }]);
    c.apply([{ seq: 2, kind: 'user', subject: U1, at: now - 5_000 }]); // late duplicate: never lowers it
    expect(c.isSessionRevoked(S1)).toBe(true);
    expect(c.isSessionRevoked(U1)).toBe(false);
    expect(c.validAfter(U1)).toBe(Math.floor((now - 1_500) / 1000));
    expect(c.size).toEqual({ sessions: 1, users: 1, apiKeys: 0 });
  });

  it('keeps API key revocations apart from sessions and users', () => {
    const c = cache();
    c.apply([{ seq: 1, kind: 'api_key', subject: S1, at: now }]);
    expect(c.isApiKeyRevoked(S1)).toBe(true);
    expect(c.isSessionRevoked(S1)).toBe(false);
    expect(c.validAfter(S1)).toBeUndefined();
    now += 61_000;
    c.prune();
    expect(c.size).toEqual({ sessions: 0, users: 0, apiKeys: 0 });
  });

  it('ignores and prunes entries older than the access-token window', () => {
    const c = cache();
    c.apply([{ seq: 1, kind: 'session', subject: S1, at: now - 61_000 }]);
    expect(c.isSessionRevoked(S1)).toBe(false);
    c.apply([
      { seq: 2, kind: 'session', subject: S1, at: now },
      { seq: 3, kind: 'user', subject: U1, at: now },
    ]);
    now += 61_000;
    c.prune();
    expect(c.size).toEqual({ sessions: 0, users: 0, apiKeys: 0 });
  });

  it('clamps a revocation dated in the future to now + the skew bound', () => {
    const c = cache();
    const year = 365 * 24 * 3600 * 1000;
    c.apply([{ seq: 9, kind: 'user', subject: U1, at: now + year }]);
    expect(c.validAfter(U1)).toBe(Math.floor((now + MAX_FUTURE_SKEW_MS) / 1000));
    c.apply([{ seq: 10, kind: 'session', subject: S1, at: now + year }]);
    now += 60_000 + MAX_FUTURE_SKEW_MS + 1; // past the window measured from the clamped date
    c.prune();
    expect(c.size).toEqual({ sessions: 0, users: 0, apiKeys: 0 });
  });
});
