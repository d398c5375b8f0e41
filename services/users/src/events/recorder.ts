import type { UserEventType, EventUser } from '@usher/contracts';
import { outboxInsert, outboxRow } from '@usher/events';
import type { AuditLog, AuditRecord, UsersRepository } from '../ports';
import type { AuditEntry, AuditQuery, AuditType, Page, User } from '../service';
import type { Transactor } from '../postgres/tx';

// Which security events are user events on NATS, and under which type. Reads and pure
// bookkeeping (a token refresh) publish nothing.
const EVENT_OF: Partial<Record<AuditType, UserEventType>> = {
  user_created: 'created',
  user_updated: 'updated',
  email_changed: 'email_changed',
  username_changed: 'username_changed',
  picture_changed: 'picture_changed',
  tags_changed: 'tags_changed',
  role_changed: 'role_changed',
  user_enabled: 'enabled',
  user_disabled: 'disabled',
  user_deleted: 'deleted',
  user_purged: 'purged',
  password_changed: 'password_changed',
  password_reset: 'password_reset',
  email_verified: 'verified',
  signin_succeeded: 'signed_in',
  signin_failed: 'login_failed',
  locked: 'locked',
  unlocked: 'unlocked',
  signed_out: 'session_revoked',
  session_revoked: 'session_revoked',
  sessions_revoked: 'session_revoked',
  refresh_reuse_detected: 'session_revoked',
  key_created: 'key_created',
  key_revoked: 'key_revoked',
  identity_linked: 'identity_linked',
  identity_unlinked: 'identity_unlinked',
};

// Events whose audit details are field changes ({field: {old, new}}).
const CHANGE_EVENTS = new Set<AuditType>([
  'user_updated',
  'email_changed',
  'username_changed',
  'picture_changed',
  'tags_changed',
  'role_changed',
  'user_enabled',
  'user_disabled',
  'user_deleted',
]);

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

/** The public user of an event payload: never a secret (there is none on User). */
export function toEventUser(u: User): EventUser {
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    username: u.username,
    role: u.role,
    status: u.status,
    tags: u.tags,
    metadata: u.metadata,
    picture: u.picture,
    verified_at: iso(u.verifiedAt),
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
    updated_by: u.updatedBy ?? undefined,
  };
}

/**
 * The domain's one recording point: each security event goes to the audit log and, when it is a
 * user event, to the outbox — in the same transaction as the change that caused it (joined through
 * the Transactor), so an event exists exactly when its change committed.
 */
export class RecordingAuditLog implements AuditLog {
  constructor(
    private readonly audit: AuditLog,
    private readonly repo: UsersRepository,
    private readonly tx: Transactor,
  ) {}

  append(record: AuditRecord): Promise<void> {
    return this.tx.run(async () => {
      await this.audit.append(record);
      const type = EVENT_OF[record.type];
      if (!type) return;
      // The account as it is now, inside this transaction (after the change); a purged row is gone.
      const user = record.targetId ? await this.repo.findById(record.targetId) : null;
      const changes = CHANGE_EVENTS.has(record.type)
        ? (record.details as Record<string, { old?: unknown; new?: unknown }>)
        : undefined;
      const row = outboxRow({
        type,
        actor_id: record.actorId ?? undefined,
        user: user ? toEventUser(user) : record.targetId ? { id: record.targetId } : undefined,
        changes,
        details: changes
          ? undefined
          : { ...record.details, ...(record.type !== type ? { action: record.type } : {}) },
        request: record.ip || record.userAgent ? { ip: record.ip, user_agent: record.userAgent } : undefined,
      });
      const [sql, params] = outboxInsert(row);
      await this.tx.manager().query(sql, params);
    });
  }

  list(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.audit.list(query);
  }
}
