import type { DataSource } from 'typeorm';
import type { RoleName } from '@usher/contracts';
import type { ApiKeyRecord, ApiKeyRepository } from '../domain/repositories';
import { lockKey } from './data-source';
import { ApiKeyEntity, type ApiKeyRow } from './entities';

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  userId: r.userId,
  name: r.name,
  role: r.role as RoleName,
  verified: r.verified,
  secretHash: r.secretHash,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  lastUsedAt: r.lastUsedAt,
  revokedAt: r.revokedAt,
});

export class PostgresApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly ds: DataSource) {}

  create(key: ApiKeyRecord, maxLive: number): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      // per-user and transaction-scoped: two concurrent creations cannot both see room for one more
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(`api_keys:${key.userId}`)]);
      const keys = m.getRepository(ApiKeyEntity);
      const live = await keys
        .createQueryBuilder('k')
        .where('k.user_id = :userId AND k.revoked_at IS NULL AND k.expires_at > :now', {
          userId: key.userId,
          now: key.createdAt,
        })
        .getCount();
      if (live >= maxLive) return false;
      await keys.insert({ ...key, revokedReason: null });
      return true;
    });
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.ds.getRepository(ApiKeyEntity).findOneBy({ id });
    return row ? toRecord(row) : undefined;
  }

  async listLive(userId: string, now: Date): Promise<ApiKeyRecord[]> {
    const rows = await this.ds
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .where('k.user_id = :userId AND k.revoked_at IS NULL AND k.expires_at > :now', { userId, now })
      .orderBy('k.created_at', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .getMany();
    return rows.map(toRecord);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.ds
      .getRepository(ApiKeyEntity)
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: at })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :at)', { id, at })
      .execute();
  }
}
