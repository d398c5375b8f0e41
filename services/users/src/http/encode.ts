import type { TokenPair, User } from '../service';

/** The seed's user JSON. Never carries a secret. */
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
    picture: u.picture,
    ...(u.verifiedAt ? { verified_at: u.verifiedAt.toISOString() } : {}),
    created_at: u.createdAt.toISOString(),
    ...(u.updatedAt ? { updated_at: u.updatedAt.toISOString() } : {}),
    ...(u.updatedBy ? { updated_by: u.updatedBy } : {}),
  };
}

export const toTokenDto = (t: TokenPair) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  access_type: t.accessType,
});
