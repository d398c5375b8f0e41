import crypto from 'crypto';
import { SecretBox, isSealed } from '@usher/config';
import { generateSigningKey } from './keys';
import type { KeyRepository, SigningKeyRecord } from './repositories';
import { KeyEncryptionError, SealedKeyRepository } from './sealed-keys';

/** Stores what it is given; replace is compare-and-set like the PostgreSQL repository. */
class MemoryKeys implements KeyRepository {
  rows: SigningKeyRecord[] = [];
  async listVerifying() {
    return this.rows.map((r) => ({ ...r }));
  }
  async rotate(key: SigningKeyRecord) {
    this.rows.push({ ...key });
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

const rotate = (repo: KeyRepository, key: SigningKeyRecord) =>
  repo.rotate(key, { retiredVerifyUntil: new Date(), now: new Date() });

describe('SealedKeyRepository', () => {
  it('stores new keys sealed and hands the PEM back on load', async () => {
    const inner = new MemoryKeys();
    const repo = new SealedKeyRepository(inner, new SecretBox(crypto.randomBytes(32)));
    const key = generateSigningKey(new Date());
    await rotate(repo, key);
    expect(isSealed(inner.rows[0]!.privateKeyPem)).toBe(true);
    expect((await repo.listVerifying(new Date()))[0]!.privateKeyPem).toBe(key.privateKeyPem);
  });

  it('two replicas sealing the same plaintext rows at once: each row sealed once, both agree', async () => {
    const inner = new MemoryKeys();
    const keys = [generateSigningKey(new Date()), generateSigningKey(new Date())];
    for (const k of keys) await rotate(inner, k);
    const kek = crypto.randomBytes(32);
    const [a, b] = [
      new SealedKeyRepository(inner, new SecretBox(kek)),
      new SealedKeyRepository(inner, new SecretBox(kek)),
    ];
    const [ra, rb] = await Promise.all([a.sealAtRest(), b.sealAtRest()]);
    expect(ra.sealed + rb.sealed).toBe(2);
    for (const row of inner.rows) expect(isSealed(row.privateKeyPem)).toBe(true);
    const loaded = await b.listVerifying(new Date());
    expect(loaded.map((r) => r.privateKeyPem)).toEqual(keys.map((k) => k.privateKeyPem));
  });

  it("a key row swapped for another key's envelope is refused, not used", async () => {
    const inner = new MemoryKeys();
    const repo = new SealedKeyRepository(inner, new SecretBox(crypto.randomBytes(32)));
    await rotate(repo, generateSigningKey(new Date()));
    await rotate(repo, generateSigningKey(new Date()));
    inner.rows[0]!.privateKeyPem = inner.rows[1]!.privateKeyPem;
    await expect(repo.listVerifying(new Date())).rejects.toThrow(KeyEncryptionError);
  });
});
