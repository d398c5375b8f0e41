// Original file: ../../proto/usher/auth/v1/auth.proto

/**
 * Roles are ordered: a higher role includes every right of the lower ones.
 */
export const Role = {
  ROLE_VIEWER: 'ROLE_VIEWER',
  ROLE_EDITOR: 'ROLE_EDITOR',
  ROLE_ADMIN: 'ROLE_ADMIN',
  ROLE_OWNER: 'ROLE_OWNER',
} as const;

/**
 * Roles are ordered: a higher role includes every right of the lower ones.
 */
export type Role =
  | 'ROLE_VIEWER'
  | 0
  | 'ROLE_EDITOR'
  | 1
  | 'ROLE_ADMIN'
  | 2
  | 'ROLE_OWNER'
  | 3

/**
 * Roles are ordered: a higher role includes every right of the lower ones.
 */
export type Role__Output = typeof Role[keyof typeof Role]
