import { callerEnv, newCaller, type CallerIdentity } from '@usher/devstack';

// Callers of the auth gRPC API every test harness uses (issue 15), one fresh set per test process:
// pass `testCallerEnv()` to anything that starts auth or users, and `TEST_CALLERS.harness` (issuer
// and admin) to a raw client, so tests keep calling every RPC.
export const TEST_CALLERS: {
  /** The users service: issuer. */
  users: CallerIdentity;
  verifier: CallerIdentity;
  admin: CallerIdentity;
  /** Test code calling auth directly: issuer + admin. */
  harness: CallerIdentity;
} = {
  users: newCaller('users', 'issuer'),
  verifier: newCaller('test-verifier', 'verifier'),
  admin: newCaller('test-admin', 'admin'),
  harness: newCaller('test-harness', 'issuer', 'admin'),
};

/** USHER_AUTH_CLIENTS/_CLIENT_SECRETS knowing every test caller, and the users service's identity. */
export function testCallerEnv(): Record<string, string> {
  const all = Object.values(TEST_CALLERS);
  return callerEnv(all, TEST_CALLERS.users) as Record<string, string>;
}

/** `{ id, secret }` for AuthClientOptions.caller or newAuthServiceClient. */
export const callerOf = (c: CallerIdentity) => ({ id: c.id, secret: c.secret });
