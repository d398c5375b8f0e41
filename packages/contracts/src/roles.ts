import type { Role__Output } from './generated/usher/auth/v1/Role';

/** Role names as the HTTP API and DESIGN.md use them, ordered from least to most rights. */
export const ROLE_NAMES = ['viewer', 'editor', 'admin', 'owner'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
/** 0 viewer, 1 editor, 2 admin, 3 owner. */
export type RoleLevel = 0 | 1 | 2 | 3;

const PROTO: Record<RoleName, Role__Output> = {
  viewer: 'ROLE_VIEWER',
  editor: 'ROLE_EDITOR',
  admin: 'ROLE_ADMIN',
  owner: 'ROLE_OWNER',
};

export const roleLevel = (name: RoleName): RoleLevel => ROLE_NAMES.indexOf(name) as RoleLevel;
export const roleName = (level: number): RoleName => {
  const name = ROLE_NAMES[level];
  if (!name) throw new RangeError(`unknown role level ${level}`);
  return name;
};
export const roleToProto = (name: RoleName): Role__Output => PROTO[name];

/** Accepts 'ROLE_ADMIN' (enum name) or 2 (number) as gRPC may deliver either. */
export function roleFromProto(role: Role__Output | number | string): RoleName {
  if (typeof role === 'number') return roleName(role);
  const name = role.replace(/^ROLE_/, '').toLowerCase();
  if (!(ROLE_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown role ${role}`);
  return name as RoleName;
}

/** True when `have` carries at least the rights of `need`. */
export const roleAtLeast = (have: RoleName, need: RoleName): boolean => roleLevel(have) >= roleLevel(need);
