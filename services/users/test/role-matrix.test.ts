import { ROLE_NAMES, type RoleName } from '@usher/contracts';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';

// Every (actor role x target role x action), against the real service. Expected outcomes come from
// the rules in the issue, written out here independently of the code under test.
const manages = (actor: RoleName, target: RoleName) =>
  actor === 'owner' || (actor === 'admin' && (target === 'viewer' || target === 'editor'));

type Http = ReturnType<typeof api>;
interface Action {
  name: string;
  run: (http: Http, id: string, token: string, target: RoleName) => Promise<{ status: number }>;
  allowed: (actor: RoleName, target: RoleName) => boolean;
  ok: number;
}

let counter = 0;
const ACTIONS: Action[] = [
  {
    // As in Magistrala, anyone signed in may look a user up (others see the public fields only).
    name: 'view',
    ok: 200,
    allowed: () => true,
    run: (h, id, t) => h.get(`/users/${id}`, t),
  },
  {
    name: 'update',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}`, { first_name: 'Changed' }, t),
  },
  {
    name: 'email',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}/email`, { email: `m${++counter}@example.com` }, t),
  },
  {
    name: 'username',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}/username`, { username: `m_${++counter}` }, t),
  },
  {
    name: 'picture',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}/picture`, { picture: 'x.png' }, t),
  },
  {
    name: 'tags',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}/tags`, { tags: ['m'] }, t),
  },
  {
    name: 'role',
    ok: 200,
    allowed: manages,
    run: (h, id, t, target) =>
      h.patch(`/users/${id}/role`, { role: target === 'viewer' ? 'editor' : 'viewer' }, t),
  },
  {
    name: 'secret',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.patch(`/users/${id}/secret`, { new_secret: 'matrix-secret-1' }, t),
  },
  {
    name: 'disable',
    ok: 200,
    allowed: manages,
    run: (h, id, t) => h.post(`/users/${id}/disable`, undefined, t),
  },
  {
    // The target is enabled already: Magistrala's answer, 422, once the caller is allowed.
    name: 'enable',
    ok: 422,
    allowed: manages,
    run: (h, id, t) => h.post(`/users/${id}/enable`, undefined, t),
  },
  {
    name: 'unlock',
    ok: 204,
    allowed: manages,
    run: (h, id, t) => h.post(`/users/${id}/unlock`, undefined, t),
  },
  { name: 'list sessions', ok: 200, allowed: manages, run: (h, id, t) => h.get(`/users/${id}/sessions`, t) },
  {
    name: 'revoke sessions',
    ok: 204,
    allowed: manages,
    run: (h, id, t) => h.del(`/users/${id}/sessions`, t),
  },
  { name: 'delete', ok: 204, allowed: (a) => a === 'owner', run: (h, id, t) => h.del(`/users/${id}`, t) },
];

describe('role matrix', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: Http;
  let owner: string;
  const actors = {} as Record<RoleName, string>;

  beforeAll(async () => {
    auth = await startAuthProcess();
    users = await startUsers(auth.address);
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    for (const role of ROLE_NAMES) {
      const res = await http.post('/users', newUserBody(`actor_${role}`, { role }), owner);
      expect(res.status).toBe(201);
      actors[role] = (await http.signIn(`user_actor_${role}`, `secret-actor_${role}-long`)).access_token;
    }
  }, 60_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  const cases = ROLE_NAMES.flatMap((actor) =>
    ROLE_NAMES.flatMap((target) => ACTIONS.map((action) => [actor, target, action.name] as const)),
  );

  it.each(cases)('%s acting on a %s: %s', async (actor, target, actionName) => {
    const action = ACTIONS.find((a) => a.name === actionName)!;
    const created = await http.post('/users', newUserBody(`t${++counter}`, { role: target }), owner);
    expect(created.status).toBe(201);
    const res = await action.run(http, created.body.id, actors[actor], target);
    expect({ status: res.status }).toEqual({ status: action.allowed(actor, target) ? action.ok : 403 });
  });

  it('everyone reads and updates their own profile and password', async () => {
    for (const role of ROLE_NAMES) {
      const token = actors[role];
      const me = await http.get('/users/profile', token);
      expect(me.status).toBe(200);
      expect((await http.get(`/users/${me.body.id}`, token)).status).toBe(200);
      expect((await http.patch(`/users/${me.body.id}`, { last_name: 'Self' }, token)).status).toBe(200);
      expect((await http.patch(`/users/${me.body.id}/tags`, { tags: ['me'] }, token)).status).toBe(200);
    }
    const viewerMe = (await http.get('/users/profile', actors.viewer)).body;
    expect((await http.patch(`/users/${viewerMe.id}/role`, { role: 'owner' }, actors.viewer)).status).toBe(
      403,
    );
    const pw = await http.patch(
      '/users/secret',
      { old_secret: 'secret-actor_viewer-long', new_secret: 'viewer-next-secret' },
      actors.viewer,
    );
    expect(pw.status).toBe(200);
  });

  it('admins may give viewer and editor only; owners any role', async () => {
    const t = (await http.post('/users', newUserBody(`g${++counter}`), owner)).body.id;
    expect((await http.patch(`/users/${t}/role`, { role: 'admin' }, actors.admin)).status).toBe(403);
    expect((await http.patch(`/users/${t}/role`, { role: 'editor' }, actors.admin)).status).toBe(200);
    expect((await http.patch(`/users/${t}/role`, { role: 'owner' }, actors.owner)).status).toBe(200);
  });
});
