import { formatAuthClients, generateClientSecret, type Env, type PermissionSet } from '@usher/config';

/** A named caller of the auth gRPC API with a fresh secret (issue 15). */
export interface CallerIdentity {
  id: string;
  secret: string;
  sets: PermissionSet[];
}

export function newCaller(id: string, ...sets: PermissionSet[]): CallerIdentity {
  return { id, secret: generateClientSecret(), sets };
}

/**
 * The environment that makes `callers` known to auth (USHER_AUTH_CLIENTS and the hashes in
 * USHER_AUTH_CLIENT_SECRETS) and, when `users` is given, lets the users service call as it
 * (USHER_USERS_AUTH_CLIENT_ID/_SECRET). Secrets themselves appear only in the users variables.
 */
export function callerEnv(callers: readonly CallerIdentity[], users?: CallerIdentity): Env {
  const env: Env = {
    ...formatAuthClients(callers.map((c) => ({ name: c.id, sets: c.sets, secret: c.secret }))),
  };
  if (users) {
    env.USHER_USERS_AUTH_CLIENT_ID = users.id;
    env.USHER_USERS_AUTH_CLIENT_SECRET = users.secret;
  }
  return env;
}

/**
 * For the services `pnpm start` launches: unless USHER_AUTH_CLIENTS is set already, the users
 * service gets a fresh identity (issuer) for this run. Returns the variables to add.
 */
export function devCallerEnv(env: Env): Env {
  if (env.USHER_AUTH_CLIENTS) return {};
  const users = newCaller(env.USHER_USERS_AUTH_CLIENT_ID || 'users', 'issuer');
  return callerEnv([users], users);
}
