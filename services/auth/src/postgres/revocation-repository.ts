import type { DataSource, EntityManager } from 'typeorm';
import type {
  RevocationCursor,
  RevocationEntry,
  RevocationKind,
  RevocationPage,
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

  async recent(since: Date): Promise<RevocationPage> {
    // one statement, one snapshot: what it shows and the xmin it reports agree
    const rows = (await this.ds.query(
      `WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin)
       SELECT s.xmin, r.seq, r.kind, r.subject, r.at
       FROM s LEFT JOIN auth.revocations r ON r.at >= $1
       ORDER BY r.seq`,
      [since],
    )) as PolledRow[];
    return { entries: rows.filter(isRow).map(toEntry), horizon: rows[0]?.xmin ?? '0' };
  }

  async after(cursor: RevocationCursor, limit: number): Promise<RevocationPage> {
    // Everything visible beyond the cursor, so a revocation counts as soon as it commits; plus the
    // snapshot's xmin, below which no transaction can still commit (see RevocationSync).
    const rows = (await this.ds.query(
      `WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin)
       SELECT s.xmin, r.txid::text AS txid, r.seq, r.kind, r.subject, r.at
       FROM s LEFT JOIN LATERAL (
         SELECT * FROM auth.revocations r
         WHERE (r.txid, r.seq) > ($1::xid8, $2::bigint)
         ORDER BY r.txid, r.seq
         LIMIT $3
       ) r ON true`,
      [cursor.txid, cursor.seq, limit],
    )) as PolledRow[];
    const entries = rows.filter(isRow);
    const last = entries[entries.length - 1];
    return {
      entries: entries.map(toEntry),
      last: last ? { txid: last.txid!, seq: Number(last.seq) } : undefined,
      horizon: rows[0]?.xmin ?? cursor.txid,
    };
  }
}

interface PolledRow {
  xmin: string;
  txid?: string | null;
  seq: string | null;
  kind: RevocationKind | null;
  subject: string | null;
  at: Date | null;
}

const isRow = (r: PolledRow): r is PolledRow & RawRevocation => r.seq !== null;
