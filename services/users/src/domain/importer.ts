import { randomUUID } from 'crypto';
import { z } from 'zod';
import { outboxInsert, outboxRow } from '@usher/events';
import { AuthorizationError, ValidationError } from '../errors';
import { PasswordPolicy } from '../passwords/policy';
import type { PasswordHasher } from '../ports';
import type { Transactor } from '../postgres/tx';
import type { Ctx } from '../service';

/** A bcrypt hash as other systems store it: $2a$, $2b$ or $2y$, cost 04-31, 53 characters of salt and hash. */
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;

/** Imported hashes above this cost are refused: one compare at cost 31 takes hours and starves libuv's pool. */
export const IMPORT_MAX_BCRYPT_COST = 14;

/** At most this many users per request (a batch also fits the 100 kB body limit). */
export const IMPORT_BATCH_MAX = 1000;

const ROLE_LEVEL = { viewer: 0, editor: 1, admin: 2, owner: 3 } as const;
const STATUS_CODE = { enabled: 0, disabled: 1 } as const;

const Row = z
  .object({
    email: z.string().trim().max(254).pipe(z.email()),
    username: z
      .string()
      .trim()
      .min(3)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore'),
    first_name: z.string().trim().max(1024).optional(),
    last_name: z.string().trim().max(1024).optional(),
    role: z.enum(['viewer', 'editor', 'admin', 'owner']).optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
    tags: z.array(z.string().max(256)).max(64).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    verified: z.boolean().optional(),
    secret_hash: z.string().optional(),
    secret: z.string().optional(),
  })
  .strict();
type Row = z.infer<typeof Row>;

export interface ImportOutcome {
  /** The row's position in the request (0-based). */
  index: number;
  /** `valid` answers a dry run; nothing is written for `invalid` and `conflict` rows. */
  outcome: 'created' | 'valid' | 'invalid' | 'conflict';
  id?: string;
  message?: string;
}

export interface ImportAnswer {
  dry_run: boolean;
  created: number;
  failed: number;
  results: ImportOutcome[];
}

const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\0')
    : Array.isArray(v)
      ? v.some(hasNul)
      : v && typeof v === 'object'
        ? Object.values(v).some(hasNul)
        : false;

/**
 * Bulk import of users (owners only), for moving from another system: each row carries either an
 * existing bcrypt hash (`secret_hash`, kept as is so users keep their passwords; `$2y$` is stored
 * as the identical `$2b$`) or a plain `secret` (hashed here; it must satisfy
 * USHER_USERS_PASS_REGEX). Rows are independent: a bad row (invalid, or an email/username taken in
 * the database or earlier in the batch) is reported with its index and reason and skipped; every
 * good row of the batch is written in one transaction with its credentials, a `user_created` audit
 * row (`details.via = "import"`) and a `created` user event. A row is never half-written.
 */
export class UserImporter {
  constructor(
    private readonly tx: Transactor,
    private readonly hasher: PasswordHasher,
    private readonly options: { passRegex: RegExp },
  ) {
    this.policy = new PasswordPolicy(options);
  }

  private readonly policy: PasswordPolicy;

  async import(ctx: Ctx, rows: unknown[], dryRun: boolean): Promise<ImportAnswer> {
    if (ctx.caller?.role !== 'owner') throw new AuthorizationError('only owners import users');
    const results: ImportOutcome[] = [];
    const good: { index: number; row: Row }[] = [];
    const emails = new Set<string>();
    const usernames = new Set<string>();
    rows.forEach((raw, index) => {
      const reason = this.check(raw);
      if (typeof reason === 'string') {
        results[index] = { index, outcome: 'invalid', message: reason };
        return;
      }
      const email = reason.email.toLowerCase();
      const username = reason.username.toLowerCase();
      if (emails.has(email) || usernames.has(username)) {
        results[index] = { index, outcome: 'conflict', message: 'email or username repeated in this batch' };
        return;
      }
      emails.add(email);
      usernames.add(username);
      good.push({ index, row: reason });
    });

    const taken = await this.taken([...emails], [...usernames]);
    const fresh = good.filter(({ index, row }) => {
      const which = taken.emails.has(row.email.toLowerCase())
        ? 'email'
        : taken.usernames.has(row.username.toLowerCase())
          ? 'username'
          : null;
      if (which) results[index] = { index, outcome: 'conflict', message: `${which} already taken` };
      return !which;
    });

    if (dryRun) {
      for (const { index } of fresh) results[index] = { index, outcome: 'valid' };
    } else if (fresh.length > 0) {
      const hashes = await Promise.all(
        fresh.map(({ row }) =>
          // $2y$ (PHP) is the same algorithm as $2b$, the spelling bcrypt here verifies.
          row.secret_hash !== undefined
            ? row.secret_hash.replace(/^\$2y\$/, '$2b$')
            : this.hasher.hash(row.secret!),
        ),
      );
      const ids = await this.write(ctx, fresh, hashes);
      fresh.forEach(({ index }, i) => {
        const id = ids[i];
        results[index] = id
          ? { index, outcome: 'created', id }
          : { index, outcome: 'conflict', message: 'email or username taken meanwhile' };
      });
    }
    const created = results.filter((r) => r.outcome === 'created').length;
    const failed = results.filter((r) => r.outcome === 'invalid' || r.outcome === 'conflict').length;
    return { dry_run: dryRun, created, failed, results };
  }

  /** The row, or why it is refused. */
  private check(raw: unknown): Row | string {
    if (hasNul(raw)) return 'contains a NUL character';
    const parsed = Row.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    }
    const row = parsed.data;
    if ((row.secret_hash === undefined) === (row.secret === undefined)) {
      return 'exactly one of secret_hash and secret is required';
    }
    if (row.secret_hash !== undefined && !BCRYPT_HASH.test(row.secret_hash)) {
      return 'secret_hash: not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters)';
    }
    if (row.secret_hash !== undefined && Number(row.secret_hash.slice(4, 6)) > IMPORT_MAX_BCRYPT_COST) {
      return `secret_hash: bcrypt cost above ${IMPORT_MAX_BCRYPT_COST} is refused (too slow to verify)`;
    }
    if (row.secret !== undefined) {
      if (Buffer.byteLength(row.secret) > 72) return 'secret: longer than 72 bytes';
      if (!this.options.passRegex.test(row.secret)) return 'secret: does not match the password policy';
      try {
        this.policy.checkLocal(row.secret, 'secret', row);
      } catch (err) {
        if (err instanceof ValidationError) return err.message;
        throw err;
      }
    }
    return row;
  }

  private async taken(emails: string[], usernames: string[]) {
    const rows: { email: string; username: string }[] = emails.length
      ? await this.tx.manager().query(
          `select lower(email) as email, lower(username) as username from users
              where lower(email) = any($1::text[]) or lower(username) = any($2::text[])`,
          [emails, usernames],
        )
      : [];
    return { emails: new Set(rows.map((r) => r.email)), usernames: new Set(rows.map((r) => r.username)) };
  }

  /** One transaction; the id of each row written, undefined for one that lost a race on a unique key. */
  private write(ctx: Ctx, rows: { row: Row }[], hashes: string[]): Promise<(string | undefined)[]> {
    return this.tx.run(async () => {
      const m = this.tx.manager();
      const ids = rows.map(() => randomUUID());
      const inserted: { id: string; created_at: Date }[] = await m.query(
        `insert into users (id, email, username, first_name, last_name, role, status, tags, metadata, verified_at)
         select r.id, r.email, r.username, r.first_name, r.last_name, r.role, r.status,
                array(select jsonb_array_elements_text(r.tags)), r.metadata,
                case when r.verified then now() end
           from jsonb_to_recordset($1::jsonb) as r(id uuid, email text, username text, first_name text,
                last_name text, role smallint, status smallint, tags jsonb, metadata jsonb, verified boolean)
         on conflict do nothing
         returning id, created_at`,
        [
          JSON.stringify(
            rows.map(({ row }, i) => ({
              id: ids[i],
              email: row.email,
              username: row.username,
              first_name: row.first_name ?? '',
              last_name: row.last_name ?? '',
              role: ROLE_LEVEL[row.role ?? 'viewer'],
              status: STATUS_CODE[row.status ?? 'enabled'],
              tags: row.tags ?? [],
              metadata: row.metadata ?? {},
              verified: row.verified ?? false,
            })),
          ),
        ],
      );
      const createdAt = new Map(inserted.map((r) => [r.id, r.created_at]));
      const written = rows.map((_, i) => (createdAt.has(ids[i]!) ? i : -1)).filter((i) => i >= 0);
      if (written.length === 0) return ids.map(() => undefined);
      await m.query(
        `insert into credentials (user_id, secret_hash, updated_at)
         select unnest($1::uuid[]), unnest($2::text[]), now()`,
        [written.map((i) => ids[i]), written.map((i) => hashes[i])],
      );
      const actor = ctx.caller!.userId || null;
      await m.query(
        `insert into audit_log (id, type, outcome, actor_id, target_id, ip, user_agent, details)
         select unnest($1::uuid[]), 'user_created', 'success', $2::uuid, unnest($3::uuid[]), $4, $5,
                unnest($6::jsonb[])`,
        [
          written.map(() => randomUUID()),
          actor,
          written.map((i) => ids[i]),
          ctx.client.ip.slice(0, 64),
          ctx.client.userAgent.slice(0, 512),
          written.map((i) => JSON.stringify({ via: 'import', role: rows[i]!.row.role ?? 'viewer' })),
        ],
      );
      for (const i of written) {
        const { row } = rows[i]!;
        const event = outboxRow({
          type: 'created',
          actor_id: actor ?? undefined,
          user: {
            id: ids[i]!,
            first_name: row.first_name ?? '',
            last_name: row.last_name ?? '',
            email: row.email,
            username: row.username,
            role: row.role ?? 'viewer',
            status: row.status ?? 'enabled',
            tags: row.tags ?? [],
            metadata: row.metadata ?? {},
            picture: '',
            created_at: createdAt.get(ids[i]!)!.toISOString(),
          },
          details: { via: 'import' },
          request: { ip: ctx.client.ip, user_agent: ctx.client.userAgent },
        });
        const [sql, params] = outboxInsert(event);
        await m.query(sql, params);
      }
      return ids.map((id) => (createdAt.has(id) ? id : undefined));
    });
  }
}
