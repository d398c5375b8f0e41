import crypto from 'crypto';
import { generateSigningKey, KeyRing, thumbprint } from './keys';
import type { KeyRepository, RotateKeyOptions, SigningKeyRecord } from './repositories';

class MemoryKeys implements KeyRepository {
  rows: SigningKeyRecord[] = [];
  loads = 0;
  async listVerifying(now: Date) {
    this.loads++;
    return this.rows.filter((r) => !r.retiredAt || (r.verifyUntil && r.verifyUntil > now));
  }
  async rotate(key: SigningKeyRecord, o: RotateKeyOptions) {
    if (o.unlessCurrentSince && this.rows.some((r) => !r.retiredAt && r.createdAt >= o.unlessCurrentSince!))
      return false;
    for (const r of this.rows)
      if (!r.retiredAt) Object.assign(r, { retiredAt: o.now, verifyUntil: o.retiredVerifyUntil });
    this.rows.push(key);
    return true;
  }
  async listStoredPrivateKeys() {
    return this.rows.map((r) => ({ kid: r.kid, privateKey: r.privateKeyPem }));
  }
  async replaceStoredPrivateKey(kid: string, expected: string, next: string) {
    const row = this.rows.find((r) => r.kid === kid && r.privateKeyPem === expected);
    if (row) row.privateKeyPem = next;
    return !!row;
  }
}

describe('signing keys', () => {
  it('uses the RFC 7638 thumbprint as kid, over crv, kty, x, y in that order', () => {
    const key = generateSigningKey(new Date());
    const { crv, kty, x, y } = key.publicJwk;
    const expected = crypto
      .createHash('sha256')
      .update(`{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`)
      .digest('base64url');
    expect(key.kid).toBe(expected);
    expect(thumbprint({ ...key.publicJwk })).toBe(expected);
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('creates a first key once, rotates, and keeps the retired key verifying for the grace', async () => {
    const repo = new MemoryKeys();
    const ring = new KeyRing(repo, { retiredGraceMs: 60_000 });
    await ring.init();
    await ring.init();
    expect(repo.rows).toHaveLength(1);
    const first = ring.signingKey().kid;
    expect(await ring.rotate(3_600_000)).toBeUndefined(); // not old enough
    const second = await ring.rotate();
    expect(second).toBeDefined();
    expect(ring.signingKey().kid).toBe(second);
    expect(ring.verifyingKey(first)).toBeDefined();
    expect(
      ring
        .jwks()
        .map((k) => k.kid)
        .sort(),
    ).toEqual([first, second].sort());
  });

  it('reloads for an unknown kid at most once per gap, shared by concurrent callers', async () => {
    const repo = new MemoryKeys();
    const ring = new KeyRing(repo, { retiredGraceMs: 60_000, minReloadGapMs: 200 });
    await ring.init();
    const loads = repo.loads;
    const results = await Promise.all([ring.lookup('nope'), ring.lookup('nope'), ring.lookup('nope')]);
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(repo.loads).toBe(loads + 1);
    // a key added elsewhere is found through the reload
    const other = generateSigningKey(new Date());
    repo.rows.push(other);
    expect((await ring.lookup(other.kid))?.kid).toBe(other.kid);
  });
});
