import type { Transactor } from './tx';

/** A link between an Usher account and an account at an external identity provider. */
export interface LinkedIdentity {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A started sign-in, kept until its callback (or its expiry). */
export interface OAuthFlow {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: Date;
}

interface IdentityRow {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string;
  created_at: Date;
  last_used_at: Date | null;
}

const toIdentity = (r: IdentityRow): LinkedIdentity => ({
  id: r.id,
  userId: r.user_id,
  provider: r.provider,
  subject: r.subject,
  email: r.email,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export class PostgresIdentities {
  constructor(private readonly tx: Transactor) {}

  private q<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.tx.manager().query(sql, params) as Promise<T[]>;
  }

  /** UPDATE/DELETE ... RETURNING answer [rows, count] through TypeORM. */
  private async returning<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = (await this.tx.manager().query(sql, params)) as [T[], number];
    return rows;
  }

  async find(provider: string, subject: string): Promise<LinkedIdentity | null> {
    const rows = await this.q<IdentityRow>(
      `select * from user_identities where provider = $1 and subject = $2`,
      [provider, subject],
    );
    return rows[0] ? toIdentity(rows[0]) : null;
  }

  async create(identity: LinkedIdentity): Promise<void> {
    await this.q(
      `insert into user_identities (id, user_id, provider, subject, email, created_at, last_used_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        identity.id,
        identity.userId,
        identity.provider,
        identity.subject,
        identity.email,
        identity.createdAt,
        identity.lastUsedAt,
      ],
    );
  }

  async touch(id: string, email: string): Promise<void> {
    await this.q(`update user_identities set last_used_at = now(), email = $2 where id = $1`, [id, email]);
  }

  async listByUser(userId: string): Promise<LinkedIdentity[]> {
    const rows = await this.q<IdentityRow>(
      `select * from user_identities where user_id = $1 order by created_at, id`,
      [userId],
    );
    return rows.map(toIdentity);
  }

  /** Locks the user's identity rows for this transaction (removals never race to zero). */
  async lockByUser(userId: string): Promise<LinkedIdentity[]> {
    const rows = await this.q<IdentityRow>(
      `select * from user_identities where user_id = $1 order by created_at, id for update`,
      [userId],
    );
    return rows.map(toIdentity);
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const rows = await this.returning<{ id: string }>(
      `delete from user_identities where user_id = $1 and id = $2 returning id`,
      [userId, id],
    );
    return rows.length > 0;
  }

  async saveFlow(idHash: string, flow: OAuthFlow): Promise<void> {
    await this.q(`delete from oauth_flows where expires_at < now()`, []);
    await this.q(
      `insert into oauth_flows (id, provider, state, nonce, code_verifier, expires_at) values ($1, $2, $3, $4, $5, $6)`,
      [idHash, flow.provider, flow.state, flow.nonce, flow.codeVerifier, flow.expiresAt],
    );
  }

  /** Spends a flow: returns it once, and only while it has not expired. */
  async takeFlow(idHash: string): Promise<OAuthFlow | null> {
    const rows = await this.returning<{
      provider: string;
      state: string;
      nonce: string;
      code_verifier: string;
      expires_at: Date;
    }>(`delete from oauth_flows where id = $1 returning *`, [idHash]);
    const r = rows[0];
    if (!r || r.expires_at.getTime() < Date.now()) return null;
    return {
      provider: r.provider,
      state: r.state,
      nonce: r.nonce,
      codeVerifier: r.code_verifier,
      expiresAt: r.expires_at,
    };
  }
}
