import type { DataSource } from 'typeorm';
import type { KeyRepository, RotateKeyOptions, SigningKeyRecord } from '../domain/repositories';
import { lockKey } from './data-source';
import { SigningKeyEntity, type SigningKeyRow } from './entities';

const toRecord = (r: SigningKeyRow): SigningKeyRecord => ({
  kid: r.kid,
  privateKeyPem: r.privateKey,
  publicJwk: r.publicJwk,
  createdAt: r.createdAt,
  retiredAt: r.retiredAt,
  verifyUntil: r.verifyUntil,
});

export class PostgresKeyRepository implements KeyRepository {
  constructor(private readonly ds: DataSource) {}

  async listVerifying(now: Date): Promise<SigningKeyRecord[]> {
    const rows = await this.ds
      .getRepository(SigningKeyEntity)
      .createQueryBuilder('k')
      .where('k.retired_at IS NULL OR k.verify_until > :now', { now })
      .orderBy('k.created_at', 'DESC')
      .getMany();
    return rows.map(toRecord);
  }

  rotate(key: SigningKeyRecord, options: RotateKeyOptions): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      // transaction-scoped: released at commit, so a crash never leaves it held
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey('signing_keys')]);
      const keys = m.getRepository(SigningKeyEntity);
      if (options.unlessCurrentSince) {
        const recent = await keys
          .createQueryBuilder('k')
          .where('k.retired_at IS NULL AND k.created_at >= :since', { since: options.unlessCurrentSince })
          .getCount();
        if (recent > 0) return false;
      }
      await keys
        .createQueryBuilder()
        .update()
        .set({ retiredAt: options.now, verifyUntil: options.retiredVerifyUntil })
        .where('retired_at IS NULL')
        .execute();
      await keys.insert({
        kid: key.kid,
        privateKey: key.privateKeyPem,
        publicJwk: key.publicJwk,
        createdAt: key.createdAt,
        retiredAt: null,
        verifyUntil: null,
      });
      return true;
    });
  }

  async listStoredPrivateKeys(): Promise<{ kid: string; privateKey: string }[]> {
    const rows = await this.ds
      .getRepository(SigningKeyEntity)
      .find({ select: { kid: true, privateKey: true } });
    return rows.map((r) => ({ kid: r.kid, privateKey: r.privateKey }));
  }

  async replaceStoredPrivateKey(kid: string, expected: string, next: string): Promise<boolean> {
    const result = await this.ds
      .getRepository(SigningKeyEntity)
      .update({ kid, privateKey: expected }, { privateKey: next });
    return (result.affected ?? 0) > 0;
  }
}
