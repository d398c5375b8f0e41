import { randomUUID } from 'crypto';
import { AuthorizationError, ConflictError } from '../errors';
import type { Transactor } from '../postgres/tx';
import type { Ctx } from '../service';

const KEY = 'authentication_required';

export interface AuthenticationState {
  /** Whether requests need a token now. */
  required: boolean;
  /** USHER_REQUIRE_AUTHENTICATION: what applies until an owner changes it. */
  default: boolean;
  updated_at?: string;
  updated_by?: string;
}

/**
 * Whether authentication is required, switchable at run time by owners (stored in `settings`,
 * USHER_REQUIRE_AUTHENTICATION until set). Each replica reads it at most every `cacheMs` (2 s), so
 * a change reaches every replica within that time. In production it is always required: turning
 * it off is refused, and a stored "off" is ignored.
 */
export class AuthenticationSetting {
  private cached: { value: boolean; at: number } | null = null;

  constructor(
    private readonly tx: Transactor,
    private readonly options: { default: boolean; production: boolean; cacheMs?: number },
  ) {}

  /** For the authenticator: cached. */
  async required(): Promise<boolean> {
    if (this.options.production) return true;
    const now = Date.now();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 2000)) return this.cached.value;
    try {
      const value = (await this.read()).required;
      this.cached = { value, at: now };
      return value;
    } catch {
      // The database is unreachable: fail closed (the request itself will answer 503).
      return true;
    }
  }

  async state(ctx: Ctx): Promise<AuthenticationState> {
    const role = ctx.caller?.role;
    if (role !== 'admin' && role !== 'owner') throw new AuthorizationError('admins and owners only');
    return this.read();
  }

  async set(ctx: Ctx, required: boolean): Promise<AuthenticationState> {
    if (ctx.caller?.role !== 'owner') throw new AuthorizationError('only owners change this setting');
    if (!required && this.options.production) {
      throw new ConflictError('authentication cannot be disabled when NODE_ENV=production');
    }
    await this.tx.run(async () => {
      const m = this.tx.manager();
      const before = await this.read();
      await m.query(
        `insert into settings (key, value, updated_at, updated_by) values ($1, $2, now(), $3)
         on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by`,
        [KEY, JSON.stringify(required), ctx.caller!.userId || null],
      );
      await m.query(
        `insert into audit_log (id, type, outcome, actor_id, target_id, ip, user_agent, details)
         values ($1, 'settings_changed', 'success', $2, null, $3, $4, $5)`,
        [
          randomUUID(),
          ctx.caller!.userId || null,
          ctx.client.ip.slice(0, 64),
          ctx.client.userAgent.slice(0, 512),
          JSON.stringify({ authentication_required: { old: before.required, new: required } }),
        ],
      );
    });
    this.cached = null;
    return this.read();
  }

  private async read(): Promise<AuthenticationState> {
    const rows: { value: unknown; updated_at: Date; updated_by: string | null }[] = await this.tx
      .manager()
      .query(`select value, updated_at, updated_by from settings where key = $1`, [KEY]);
    const row = rows[0];
    const stored = typeof row?.value === 'boolean' ? row.value : undefined;
    return {
      required: this.options.production ? true : (stored ?? this.options.default),
      default: this.options.default,
      ...(row ? { updated_at: row.updated_at.toISOString() } : {}),
      ...(row?.updated_by ? { updated_by: row.updated_by } : {}),
    };
  }
}
