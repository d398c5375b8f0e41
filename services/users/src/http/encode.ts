import type {
  ApiKeyInfo,
  AuditEntry,
  Invitation,
  NewApiKey,
  Page,
  SessionInfo,
  TokenPair,
  User,
} from '../service';

/** The user JSON (Magistrala's shape, role and status as names). Never carries a secret. */
export function toUserDto(u: User) {
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    credentials: { username: u.username },
    role: u.role,
    status: u.status,
    tags: u.tags,
    metadata: u.metadata,
    private_metadata: u.privateMetadata,
    profile_picture: u.picture,
    ...(u.verifiedAt ? { verified_at: u.verifiedAt.toISOString() } : {}),
    created_at: u.createdAt.toISOString(),
    ...(u.updatedAt ? { updated_at: u.updatedAt.toISOString() } : {}),
    ...(u.updatedBy ? { updated_by: u.updatedBy } : {}),
  };
}

/** What any signed-in user may see of another: no email, role, status, tags or metadata. */
export const toPublicUserDto = (u: User) => ({
  id: u.id,
  first_name: u.firstName,
  last_name: u.lastName,
  credentials: { username: u.username },
  profile_picture: u.picture,
});

export const toUsersPage = (p: Page<User>, encode: (u: User) => object = toUserDto) => ({
  total: p.total,
  offset: p.offset,
  limit: p.limit,
  users: p.items.map(encode),
});

export const toTokenDto = (t: TokenPair) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  access_type: t.accessType,
});

export const toSessionDto = (s: SessionInfo, currentId?: string) => ({
  id: s.id,
  method: s.method,
  user_agent: s.userAgent,
  ip: s.ip,
  created_at: s.createdAt.toISOString(),
  last_used_at: s.lastUsedAt.toISOString(),
  expires_at: s.expiresAt.toISOString(),
  idle_expires_at: s.idleExpiresAt.toISOString(),
  current: s.id === currentId,
});

/** Magistrala's refresh-token list entry: a session, named by its id. */
export const toRefreshTokenDto = (s: SessionInfo) => ({
  id: s.id,
  description: [s.method, s.userAgent].filter(Boolean).join(' · '),
});

export const toKeyDto = (k: ApiKeyInfo) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  created_at: k.createdAt.toISOString(),
  expires_at: k.expiresAt.toISOString(),
  ...(k.lastUsedAt ? { last_used_at: k.lastUsedAt.toISOString() } : {}),
});

export const toNewKeyDto = (k: NewApiKey) => ({ ...toKeyDto(k), key: k.key });

export const toAuditDto = (a: AuditEntry) => ({
  id: a.id,
  type: a.type,
  outcome: a.outcome,
  ...(a.actorId ? { actor_id: a.actorId } : {}),
  ...(a.targetId ? { target_id: a.targetId } : {}),
  ip: a.ip,
  user_agent: a.userAgent,
  occurred_at: a.occurredAt.toISOString(),
  details: a.details,
});

export const toInvitationDto = (i: Invitation) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  ...(i.invitedBy ? { invited_by: i.invitedBy } : {}),
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
});
