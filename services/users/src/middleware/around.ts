import type { UsersService } from '../service';

// Every UsersService method, checked by the compiler: adding a method to the interface without
// listing it here fails typecheck, so generic decorators never miss one.
const METHODS = {
  register: true,
  issueToken: true,
  refreshToken: true,
  signOut: true,
  viewProfile: true,
  view: true,
  list: true,
  search: true,
  update: true,
  updateEmail: true,
  updateUsername: true,
  updatePicture: true,
  updateTags: true,
  updateRole: true,
  setSecret: true,
  changeSecret: true,
  enable: true,
  disable: true,
  remove: true,
  unlock: true,
  listSessions: true,
  revokeSession: true,
  revokeSessions: true,
  createKey: true,
  listKeys: true,
  revokeKey: true,
  listAudit: true,
  purgeDeleted: true,
  sendVerification: true,
  verifyEmail: true,
  requestPasswordReset: true,
  resetPassword: true,
  createInvitation: true,
  listInvitations: true,
  revokeInvitation: true,
  acceptInvitation: true,
  setTemporaryPassword: true,
} satisfies Record<keyof UsersService, true>;

export const SERVICE_METHODS = Object.keys(METHODS) as (keyof UsersService)[];

/** Method names as they appear in logs and metrics: snake_case. */
export const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A decorator that runs `wrap` around every method of `inner` (logging, metrics, tracing: concerns
 * that treat all methods alike). Arguments are passed through untouched and never inspected here.
 */
export function around(
  inner: UsersService,
  wrap: (method: keyof UsersService, call: () => Promise<unknown>) => Promise<unknown>,
): UsersService {
  const decorated = {} as Record<keyof UsersService, (...args: unknown[]) => Promise<unknown>>;
  for (const method of SERVICE_METHODS) {
    const fn = inner[method] as (...args: unknown[]) => Promise<unknown>;
    decorated[method] = (...args: unknown[]) => wrap(method, () => fn.apply(inner, args));
  }
  return decorated as unknown as UsersService;
}
