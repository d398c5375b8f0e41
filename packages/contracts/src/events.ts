// User events as they travel on NATS: JSON in the proto3 JSON mapping of
// proto/usher/users/v1/events.proto, with the original snake_case field names.

export const USERS_STREAM = 'USHER_USERS';
export const USERS_SUBJECT_PREFIX = 'usher.users';

export const USER_EVENT_TYPES = [
  'created',
  'updated',
  'email_changed',
  'username_changed',
  'picture_changed',
  'tags_changed',
  'role_changed',
  'enabled',
  'disabled',
  'deleted',
  'purged',
  'password_changed',
  'password_reset',
  'verified',
  'signed_in',
  'login_failed',
  'locked',
  'unlocked',
  'session_revoked',
  'key_created',
  'key_revoked',
  'identity_linked',
  'identity_unlinked',
] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** Version of every payload published now; bump per type when its shape changes incompatibly. */
export const USER_EVENT_VERSION = 1;

export const subjectOf = (type: UserEventType) => `${USERS_SUBJECT_PREFIX}.${type}`;

/** The public account in an event (User in events.proto). Timestamps are RFC 3339 strings. */
export interface EventUser {
  id: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  username?: string;
  role?: string;
  status?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  picture?: string;
  verified_at?: string;
  created_at?: string;
  updated_at?: string;
  updated_by?: string;
}

export interface UserEvent<T extends UserEventType = UserEventType> {
  id: string;
  type: T;
  version: number;
  occurred_at: string;
  actor_id?: string;
  user?: EventUser;
  changes?: Record<string, { old?: unknown; new?: unknown }>;
  request?: { ip?: string; user_agent?: string };
  details?: Record<string, unknown>;
}
