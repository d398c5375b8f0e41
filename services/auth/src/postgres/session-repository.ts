import type { DataSource } from 'typeorm';
import type { RoleName } from '@usher/contracts';
import type {
  ClientUpdate,
  RefreshTokenRecord,
  SessionRecord,
  SessionRepository,
  SpendResult,
} from '../domain/repositories';
import { RefreshTokenEntity, SessionEntity, type SessionRow } from './entities';

export const toSession = (r: SessionRow): SessionRecord => ({ ...r, role: r.role as RoleName });

export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly ds: DataSource) {}

  create(session: SessionRecord, refresh: RefreshTokenRecord): Promise<void> {
    return this.ds.transaction(async (m) => {
      await m.getRepository(SessionEntity).insert(session);
      await m.getRepository(RefreshTokenEntity).insert({
        tokenHash: refresh.hash,
        sessionId: refresh.sessionId,
        createdAt: refresh.createdAt,
        expiresAt: refresh.expiresAt,
        usedAt: null,
      });
    });
  }

  async spendRefreshToken(hash: string, at: Date): Promise<SpendResult> {
    const tokens = this.ds.getRepository(RefreshTokenEntity);
    // the single statement that makes rotation race-free: only one caller can flip used_at
    const updated = await tokens
      .createQueryBuilder()
      .update()
      .set({ usedAt: at })
      .where('token_hash = :hash AND used_at IS NULL', { hash })
      .returning(['sessionId', 'createdAt', 'expiresAt']) // property names; raw rows carry column names
      .execute();
    const row = (updated.raw as { session_id: string; created_at: Date; expires_at: Date }[])[0];
    if (!row) return this.spent(hash);
    const session = await this.ds.getRepository(SessionEntity).findOneBy({ id: row.session_id });
    if (!session) return { status: 'unknown' };
    return {
      status: 'ok',
      session: toSession(session),
      token: { hash, sessionId: row.session_id, createdAt: row.created_at, expiresAt: row.expires_at },
    };
  }

  /** What the caller needs to tell a replay from a retry: was the token rotated, is its session over. */
  private async spent(hash: string): Promise<SpendResult> {
    const rows = (await this.ds.query(
      `SELECT t.session_id, s.user_id, s.revoked_reason,
              EXISTS (SELECT 1 FROM auth.refresh_tokens n
                      WHERE n.session_id = t.session_id AND n.token_hash <> t.token_hash
                        AND n.created_at >= t.used_at) AS rotated
       FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
       WHERE t.token_hash = $1`,
      [hash],
    )) as { session_id: string; user_id: string; revoked_reason: string | null; rotated: boolean }[];
    const row = rows[0];
    if (!row) return { status: 'unknown' };
    return {
      status: 'spent',
      sessionId: row.session_id,
      userId: row.user_id,
      revokedReason: row.revoked_reason,
      rotated: row.rotated,
    };
  }

  continueSession(
    sessionId: string,
    next: RefreshTokenRecord,
    at: Date,
    client?: ClientUpdate,
  ): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const touched = await m
        .getRepository(SessionEntity)
        .createQueryBuilder()
        .update()
        .set({ lastUsedAt: at, ...(client ? { userAgent: client.userAgent, ip: client.ip } : {}) })
        .where('id = :id AND revoked_at IS NULL', { id: sessionId })
        .execute();
      if (!touched.affected) return false;
      await m.getRepository(RefreshTokenEntity).insert({
        tokenHash: next.hash,
        sessionId,
        createdAt: next.createdAt,
        expiresAt: next.expiresAt,
        usedAt: null,
      });
      return true;
    });
  }

  async listLive(userId: string, now: Date, idleSince: Date): Promise<SessionRecord[]> {
    const rows = await this.ds
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.revoked_at IS NULL', { userId })
      .andWhere('s.expires_at > :now AND s.last_used_at > :idleSince', { now, idleSince })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getMany();
    return rows.map(toSession);
  }
}
