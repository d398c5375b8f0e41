import { callerEnv, newCaller } from '@usher/devstack';

// The bench's callers of auth (issue 15), fresh for each run: the users service (issuer), the
// load generators and the floor server (verifier, and issuer for the revoke row's revocations).
export const BENCH_CALLERS = {
  users: newCaller('users', 'issuer'),
  bench: newCaller('bench', 'issuer'),
};

/** USHER_AUTH_CLIENTS/_CLIENT_SECRETS for auth, USHER_USERS_AUTH_CLIENT_ID/_SECRET for users. */
export const benchCallerEnv = () =>
  callerEnv(Object.values(BENCH_CALLERS), BENCH_CALLERS.users) as Record<string, string>;

export const benchCaller = () => ({ id: BENCH_CALLERS.bench.id, secret: BENCH_CALLERS.bench.secret });
