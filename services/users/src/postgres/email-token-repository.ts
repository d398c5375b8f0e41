import type { EmailToken, EmailTokenPurpose, EmailTokenStore } from '../ports';
import type { Transactor } from './tx';

interface TokenRow {
  id: string;
  purpose: EmailTokenPurpose;
  token_hash: string;
  user_id: string | null;
  invitation_id: string | null;
  email: string;
  created_at: Date;
  expires_at: Date;
}

const fromRow = (r: TokenRow): EmailToken => ({
  id: r.id,
  purpose: r.purpose,
  tokenHash: r.token_hash,
  userId: r.user_id,
  invitationId: r.invitation_id,
  email: r.email,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** Mailed tokens, by their SHA-256; spending one is a single conditional UPDATE, so it works once. */
export class PostgresEmailTokens implements EmailTokenStore {
  constructor(private readonly tx: Transactor) {}

  async create(t: EmailToken): Promise<void> {
    await this.tx.manager().query(
      `insert into email_tokens (id, purpose, token_hash, user_id, invitation_id, email, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.id, t.purpose, t.tokenHash, t.userId, t.invitationId, t.email, t.createdAt, t.expiresAt],
    );
  }

  async consume(purpose: EmailTokenPurpose, tokenHash: string): Promise<EmailToken | null> {
    // TypeORM's query() answers [rows, affected] for an UPDATE ... RETURNING.
    const [rows] = (await this.tx.manager().query(
      `update email_tokens set used_at = now()
        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
        returning id, purpose, token_hash, user_id, invitation_id, email, created_at, expires_at`,
      [tokenHash, purpose],
    )) as [TokenRow[], number];
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async spendAll(purpose: EmailTokenPurpose, userId: string): Promise<void> {
    await this.tx
      .manager()
      .query(
        `update email_tokens set used_at = now() where user_id = $1 and purpose = $2 and used_at is null`,
        [userId, purpose],
      );
  }

  /** Housekeeping: tokens that ended more than `olderThanMs` ago are of no use, even to an audit. */
  async prune(olderThanMs: number): Promise<number> {
    const [, affected] = (await this.tx
      .manager()
      .query(`delete from email_tokens where expires_at < now() - $1 * interval '1 millisecond'`, [
        olderThanMs,
      ])) as [unknown, number];
    return affected ?? 0;
  }
}
