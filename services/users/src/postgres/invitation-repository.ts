import { roleLevel, roleName } from '@usher/contracts';
import { ConflictError } from '../errors';
import type { InvitationsRepository } from '../ports';
import type { Invitation, Page } from '../service';
import type { Transactor } from './tx';

interface InvitationRow {
  id: string;
  email: string;
  role: number;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
}

const COLUMNS = 'id, email, role, invited_by, created_at, expires_at';
const OPEN = 'closed_at is null and expires_at > now()';

const fromRow = (r: InvitationRow): Invitation => ({
  id: r.id,
  email: r.email,
  role: roleName(r.role),
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export class PostgresInvitations implements InvitationsRepository {
  constructor(private readonly tx: Transactor) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.tx.manager().query(sql, params) as Promise<T>;
  }

  create(inv: Invitation): Promise<Invitation> {
    return this.tx.run(async () => {
      // An expired invitation no longer holds its address.
      await this.query(
        `update invitations set closed_at = now(), outcome = 'expired'
          where lower(email) = lower($1) and closed_at is null and expires_at <= now()`,
        [inv.email],
      );
      try {
        await this.query(`insert into invitations (${COLUMNS}) values ($1, $2, $3, $4, $5, $6)`, [
          inv.id,
          inv.email,
          roleLevel(inv.role),
          inv.invitedBy,
          inv.createdAt,
          inv.expiresAt,
        ]);
      } catch (error) {
        const e = error as { code?: string; driverError?: { code?: string } };
        if ((e.code ?? e.driverError?.code) === '23505')
          throw new ConflictError('this address has a pending invitation: revoke it before inviting again');
        throw error;
      }
      return inv;
    });
  }

  async findPending(id: string): Promise<Invitation | null> {
    const rows = await this.query<InvitationRow[]>(
      `select ${COLUMNS} from invitations where id = $1 and ${OPEN}`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async listPending(offset: number, limit: number): Promise<Page<Invitation>> {
    const [{ total }] = await this.query<[{ total: number }]>(
      `select count(*)::int as total from invitations where ${OPEN}`,
      [],
    );
    const rows = await this.query<InvitationRow[]>(
      `select ${COLUMNS} from invitations where ${OPEN} order by created_at desc, id desc offset $1 limit $2`,
      [offset, limit],
    );
    return { total, offset, limit, items: rows.map(fromRow) };
  }

  async close(id: string, how: 'accepted' | 'revoked', userId?: string): Promise<boolean> {
    const [, affected] = await this.query<[unknown, number]>(
      `update invitations set closed_at = now(), outcome = $2, user_id = $3 where id = $1 and ${OPEN}`,
      [id, how, userId ?? null],
    );
    return affected > 0;
  }
}
