import type { api } from './harness';

type Http = ReturnType<typeof api>;

/** Every route that takes a mailed token, plus the token used as a bearer token. */
export type TokenRoute = 'verify' | 'reset' | 'accept' | 'bearer';

const TOKEN_ROUTES: TokenRoute[] = ['verify', 'reset', 'accept', 'bearer'];

/** The status a route answers to `token` (any answer is also checked against openapi.yaml by api()). */
export async function statusAt(http: Http, route: TokenRoute, token: string): Promise<number> {
  switch (route) {
    case 'verify':
      return (await http.get(`/verify-email?token=${encodeURIComponent(token)}`)).status;
    case 'reset':
      return (
        await http.put('/password/reset', {
          token,
          password: 'probe-password-1',
          confirm_password: 'probe-password-1',
        })
      ).status;
    case 'accept':
      return (
        await http.post('/users/invitations/accept', {
          token,
          username: `probe_${Math.random().toString(36).slice(2, 10)}`,
          password: 'probe-password-1',
        })
      ).status;
    case 'bearer':
      return (await http.get('/users/profile', token)).status;
  }
}

/** A token meant for `own` is refused (401) by every other route, and none of them spends it. */
export async function expectRefusedElsewhere(http: Http, token: string, own: TokenRoute): Promise<void> {
  const answers: Record<string, number> = {};
  for (const route of TOKEN_ROUTES.filter((r) => r !== own))
    answers[route] = await statusAt(http, route, token);
  const expected = Object.fromEntries(Object.keys(answers).map((r) => [r, 401]));
  expect(answers).toEqual(expected);
}
