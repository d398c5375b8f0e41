import type { DataSource, EntityManager } from 'typeorm';
import type {
  RevocationEntry,
  RevocationKind,
  RevocationRepository,
  RevokeSessionResult,
} from '../domain/repositories';
import { ApiKeyEntity, RevocationEntity, SessionEntity } from './entities';

interface RawRevocation {
  seq: string | number;
  kind: RevocationKind;
  subject: string;
  at: Date;
}

const toEntry = (r: RawRevocation): RevocationEntry => ({
  seq: Number(r.seq),
  kind: r.kind,
  subject: r.subject,
  at: r.at.getTime(),
});

type NewRevocation = { kind: RevocationKind; subject: string; at: Date };

async function record(m: EntityManager, rows: NewRevocation[]): Promise<RevocationEntry[]> {
  if (rows.length === 0) return [];
  const inserted = await m
    .createQueryBuilder()
    .insert()
    .into(RevocationEntity)
    .values(rows)
    .returning(['seq', 'kind', 'subject', 'at'])
    .execute();
  return (inserted.raw as RawRevocation[]).map(toEntry);
}

export class PostgresRevocationRepository implements RevocationRepository {
  constructor(private readonly ds: DataSource) {}

  revokeSession(sessionId: string, reason: string, at: Date, ownerId?: string): Promise<RevokeSessionResult> {
    return this.ds.transaction(async (m) => {
      const qb = m
        .createQueryBuilder()
        .update(SessionEntity)
        .set({ revokedAt: at, revokedReason: reason })
        .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
        .returning(['id']);
      if (ownerId) qb.andWhere('user_id = :ownerId', { ownerId });
      const updated = await qb.execute();
      if ((updated.raw as unknown[]).length > 0) {
        return { found: true, entries: await record(m, [{ kind: 'session', subject: sessionId, at }]) };
      }
      const exists = await m
        .getRepository(SessionEntity)
        .existsBy(ownerId ? { id: sessionId, userId: ownerId } : { id: sessionId });
      return { found: exists, entries: [] };
    });
  }

  revokeUserSessions(
    userId: string,
    options: {
      exceptSessionId?: string;
      reason: string;
      at: Date;
      validAfter?: Date;
      includeApiKeys?: boolean;
    },
  ): Promise<RevocationEntry[]> {
    return this.ds.transaction(async (m) => {
      const rows: NewRevocation[] = [];
      if (options.validAfter) {
        // never moves backwards, whatever order concurrent revokes commit in
        await m.query(
          `INSERT INTO auth.user_token_validity (user_id, tokens_valid_after) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE
           SET tokens_valid_after = GREATEST(auth.user_token_validity.tokens_valid_after, EXCLUDED.tokens_valid_after)`,
          [userId, options.validAfter],
        );
        rows.push({ kind: 'user', subject: userId, at: options.validAfter });
      }
      const qb = m
        .createQueryBuilder()
        .update(SessionEntity)
        .set({ revokedAt: options.at, revokedReason: options.reason })
        .where('user_id = :userId AND revoked_at IS NULL AND expires_at > :at', { userId, at: options.at })
        .returning(['id']);
      if (options.exceptSessionId) qb.andWhere('id <> :except', { except: options.exceptSessionId });
      const revoked = (await qb.execute()).raw as { id: string }[];
      for (const { id } of revoked) rows.push({ kind: 'session', subject: id, at: options.at });
      if (options.includeApiKeys) {
        const keys = await m
          .createQueryBuilder()
          .update(ApiKeyEntity)
          .set({ revokedAt: options.at, revokedReason: options.reason })
          .where('user_id = :userId AND revoked_at IS NULL AND expires_at > :at', { userId, at: options.at })
          .returning(['id'])
          .execute();
        for (const { id } of keys.raw as { id: string }[])
          rows.push({ kind: 'api_key', subject: id, at: options.at });
      }
      return record(m, rows);
    });
  }

  revokeApiKey(id: string, ownerId: string, reason: string, at: Date): Promise<RevokeSessionResult> {
    return this.ds.transaction(async (m) => {
      const updated = await m
        .createQueryBuilder()
        .update(ApiKeyEntity)
        .set({ revokedAt: at, revokedReason: reason })
        .where('id = :id AND user_id = :ownerId AND revoked_at IS NULL AND expires_at > :at', {
          id,
          ownerId,
          at,
        })
        .returning(['id'])
        .execute();
      if ((updated.raw as unknown[]).length === 0) return { found: false, entries: [] };
      return { found: true, entries: await record(m, [{ kind: 'api_key', subject: id, at }]) };
    });
  }

  async recent(since: Date): Promise<{ entries: RevocationEntry[]; lastSeq: number }> {
    const rows = await this.ds
      .getRepository(RevocationEntity)
      .createQueryBuilder('r')
      .where('r.at >= :since', { since })
      .orderBy('r.seq', 'ASC')
      .getMany();
    const max = await this.ds.query('SELECT COALESCE(MAX(seq), 0) AS last FROM auth.revocations');
    return { entries: rows.map(toEntry), lastSeq: Number((max as { last: string }[])[0]?.last ?? 0) };
  }

  async after(afterSeq: number, seqs: number[], limit: number): Promise<RevocationEntry[]> {
    const qb = this.ds
      .getRepository(RevocationEntity)
      .createQueryBuilder('r')
      .where('r.seq > :afterSeq', { afterSeq });
    if (seqs.length > 0) qb.orWhere('r.seq = ANY(:seqs)', { seqs });
    const rows = await qb.orderBy('r.seq', 'ASC').limit(limit).getMany();
    return rows.map(toEntry);
  }
}
