import type { PermissionSet } from '@usher/config';

// Which permission set allows which AuthService method (issue 15). A method missing here is refused
// to every caller: a new RPC stays closed until someone decides who may call it.
const VERIFIER = ['Authenticate', 'Authorize', 'GetJwks', 'WatchRevocations'] as const;
const ISSUER = [
  ...VERIFIER,
  'Issue',
  'Refresh',
  'RevokeSession',
  'RevokeUserSessions',
  'ListSessions',
  'CreateApiKey',
  'ListApiKeys',
  'RevokeApiKey',
] as const;
const ADMIN = ['RotateSigningKey'] as const;

export const PERMISSIONS: Readonly<Record<PermissionSet, ReadonlySet<string>>> = {
  verifier: new Set(VERIFIER),
  issuer: new Set(ISSUER),
  admin: new Set(ADMIN),
};

/** True when one of `sets` allows `method` (the bare method name, e.g. `Issue`). */
export function allows(sets: readonly PermissionSet[], method: string): boolean {
  return sets.some((set) => PERMISSIONS[set].has(method));
}
