import { OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';
import {
  expectDecodesAsToken,
  expectDecodesAsUser,
  expectDecodesAsUsersPage,
  marshalUser,
  pageQuery,
  sdkRequest,
  type GoUser,
} from './magistrala-sdk';
import { SmtpSink, tokenOf, until, type ReceivedMail } from './smtp';

// The requests of Magistrala's Go SDK (absmach/magistrala pkg/sdk at 19ed0de7887d, users.go and
// tokens.go), byte for byte: processRequest always sends Content-Type: application/json, a token as
// "Authorization: Bearer <token>", and bodies as encoding/json writes the SDK's structs (struct field
// order, `omitempty` dropping empty strings, slices and maps but never a time.Time, which goes out as
// Go's zero time). Each test names the SDK method it reproduces, the status the SDK expects, and
// checks that the answer decodes into the SDK's struct with the right JSON types.

describe('Magistrala Go SDK (pkg/sdk at 19ed0de7887d): every users method, as the SDK sends it', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let smtp: SmtpSink;
  let base: string;
  let admin: string; // the owner's access token
  const sdk = (
    method: string,
    path: string,
    token: string,
    body?: string,
    headers?: Record<string, string>,
  ) => sdkRequest(base, method, path, token, body, headers);

  /** sdk.CreateToken(Login{Username, Password, Description}) */
  const createToken = async (username: string, password: string, description = '') => {
    const res = await sdk(
      'POST',
      '/users/tokens/issue',
      '',
      JSON.stringify({ username, password, ...(description ? { description } : {}) }),
    );
    expect(res.status).toBe(201);
    expectDecodesAsToken(res.json);
    return res.json as { access_token: string; refresh_token: string };
  };
  /** sdk.CreateUser(User) */
  const createUser = async (u: GoUser, token = admin) => {
    const res = await sdk('POST', '/users', token, marshalUser(u));
    expect(res.status).toBe(201);
    expectDecodesAsUser(res.json);
    return res.json as Record<string, unknown> & { id: string; email: string; created_at: string };
  };

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    users = await startUsers(auth.address, smtp.env());
    base = users.url;
    admin = (await createToken(OWNER.username, OWNER.password)).access_token;
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('CreateUser: the whole User with zero id and dates, role "user" -> 201 and the user', async () => {
    const u = await createUser({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      Credentials: { Username: 'ada', Secret: 'ada-password-1' },
      Tags: ['math', 'engines'],
      Metadata: { team: 'core' },
      PrivateMetadata: { salary: 100 },
      Status: 'enabled',
      Role: 'user',
      ProfilePicture: 'https://example.com/ada.png',
    });
    expect(u).toMatchObject({
      role: 'viewer',
      status: 'enabled',
      profile_picture: 'https://example.com/ada.png',
      private_metadata: { salary: 100 },
      tags: ['math', 'engines'],
    });
  });

  it('CreateUser: a real id or creation date is refused with 400 naming the field', async () => {
    const body = (over: GoUser) =>
      marshalUser({
        FirstName: 'X',
        LastName: 'Y',
        Email: 'xy@example.com',
        Credentials: { Username: 'xy_user', Secret: 'xy-password-1' },
        ...over,
      });
    const id = await sdk('POST', '/users', admin, body({ ID: '6f1ff7b4-2c35-4bb7-a2a8-0a7ad9c1d4e1' }));
    expect(id.status).toBe(400);
    expect(id.json.message).toMatch(/^id:/);
    const created = await sdk('POST', '/users', admin, body({ CreatedAt: '2020-01-01T00:00:00Z' }));
    expect(created.status).toBe(400);
    expect(created.json.message).toMatch(/^created_at:/);
  });

  it('CreateToken: {username, password, description} by username or email -> 201 and a Token', async () => {
    await createToken('ada', 'ada-password-1', 'cli');
    await createToken('ada@example.com', 'ada-password-1');
    const wrong = await sdk(
      'POST',
      '/users/tokens/issue',
      '',
      JSON.stringify({ username: 'ada', password: 'nope-nope' }),
    );
    expect(wrong.status).toBe(401);
    const missing = await sdk('POST', '/users/tokens/issue', '', JSON.stringify({ username: 'ada' }));
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/^password:/);
  });

  it('RefreshToken: POST /users/tokens/refresh with the refresh token as bearer -> 201 and a Token', async () => {
    const pair = await createToken('ada', 'ada-password-1');
    const res = await sdk('POST', '/users/tokens/refresh', pair.refresh_token);
    expect(res.status).toBe(201);
    expectDecodesAsToken(res.json);
  });

  it('UserProfile: GET /users/profile -> 200, private_metadata included', async () => {
    const token = (await createToken('ada', 'ada-password-1')).access_token;
    const res = await sdk('GET', '/users/profile', token);
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    expect(res.json.private_metadata).toEqual({ salary: 100 });
  });

  it('User: GET /users/{id} -> 200; for an ordinary user looking at someone else, the public fields only', async () => {
    const bob = await createUser({
      FirstName: 'Bob',
      LastName: 'B',
      Email: 'bob@example.com',
      Credentials: { Username: 'bob', Secret: 'bob-password-1' },
      Metadata: { team: 'edge' },
      PrivateMetadata: { secret_note: 'x' },
    });
    const full = await sdk('GET', `/users/${bob.id}`, admin);
    expect(full.status).toBe(200);
    expectDecodesAsUser(full.json);
    expect(full.json.private_metadata).toEqual({ secret_note: 'x' });

    const ada = (await createToken('ada', 'ada-password-1')).access_token;
    const pub = await sdk('GET', `/users/${bob.id}`, ada);
    expect(pub.status).toBe(200);
    expectDecodesAsUser(pub.json);
    expect(Object.keys(pub.json).sort()).toEqual([
      'credentials',
      'first_name',
      'id',
      'last_name',
      'profile_picture',
    ]);
    expect(pub.text).not.toContain('secret_note');
    expect(pub.text).not.toContain('bob@example.com');
  });

  it('Users: the whole page metadata in the query (with_attributes, with_metadata, order, dir, tags any) -> 200', async () => {
    await createUser({
      FirstName: 'Cy',
      LastName: 'C',
      Email: 'cy@example.com',
      Credentials: { Username: 'cyd', Secret: 'cy-password-1' },
      Tags: ['engines'],
    });
    const q = pageQuery({
      Offset: 0,
      Limit: 10,
      Order: 'username',
      Direction: 'asc',
      Tags: { Elements: ['math', 'engines'], Operator: 'or' },
    });
    expect(q).toBe(
      'dir=asc&limit=10&order=username&tags=math%2Cengines&with_attributes=false&with_metadata=false',
    );
    const res = await sdk('GET', `/users?${q}`, admin);
    expect(res.status).toBe(200);
    expectDecodesAsUsersPage(res.json);
    // Magistrala's "a,b": any of the tags.
    expect(res.json.users.map((u: { credentials: { username: string } }) => u.credentials.username)).toEqual([
      'ada',
      'cyd',
    ]);
    // "a+b" (%2B): all of them, as Magistrala's server reads it.
    const all = await sdk(
      'GET',
      `/users?tags=math%2Bengines&with_attributes=false&with_metadata=false`,
      admin,
    );
    expect(all.json.users.map((u: { credentials: { username: string } }) => u.credentials.username)).toEqual([
      'ada',
    ]);
    // Zero page metadata: only the two booleans.
    const zero = await sdk('GET', `/users?${pageQuery({})}`, admin);
    expect(zero.status).toBe(200);
    expect(zero.json.limit).toBe(10);
    // Private metadata is never a filter.
    const priv = await sdk('GET', `/users?${pageQuery({ Metadata: { salary: 100 } })}`, admin);
    expect(priv.json.total).toBe(0);
  });

  it('SearchUsers: partial id (>= 3 characters) and username, order and dir -> 200; public fields for ordinary users', async () => {
    const ada = (await createToken('ada', 'ada-password-1')).access_token;
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bob' })}`, ada)).json.users[0];
    const part = (bob.id as string).slice(4, 12);
    const res = await sdk(
      'GET',
      `/users/search?${pageQuery({ ID: part, Order: 'username', Direction: 'desc', Limit: 5 })}`,
      ada,
    );
    expect(res.status).toBe(200);
    expectDecodesAsUsersPage(res.json);
    expect(res.json.users.map((u: { id: string }) => u.id)).toEqual([bob.id]);
    expect(res.text).not.toContain('private_metadata');
    const short = await sdk('GET', `/users/search?${pageQuery({ ID: 'ab' })}`, ada);
    expect(short.status).toBe(400);
    expect(short.json.message).toMatch(/^id:.*at least 3/);
  });

  it('UpdateUser: the whole User sent back (id, credentials, zero dates, unchanged email/role) -> 200; a real change of a read-only field -> 400 naming it', async () => {
    const ada = (await sdk('GET', `/users/search?${pageQuery({ Username: 'ada' })}`, admin)).json.users[0];
    const body = (over: GoUser = {}) =>
      marshalUser({
        ID: ada.id,
        FirstName: 'Augusta',
        LastName: 'King',
        Email: ada.email,
        Credentials: { Username: 'ada' },
        Metadata: { team: 'analytical' },
        PrivateMetadata: { salary: 200 },
        Role: 'user',
        Status: 'enabled',
        ...over,
      });
    const res = await sdk('PATCH', `/users/${ada.id}`, admin, body());
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    expect(res.json).toMatchObject({
      first_name: 'Augusta',
      last_name: 'King',
      metadata: { team: 'analytical' },
      private_metadata: { salary: 200 },
      email: 'ada@example.com',
    });
    // The stored dates sent back as they came are no change either.
    const echo = await sdk(
      'PATCH',
      `/users/${ada.id}`,
      admin,
      body({ CreatedAt: res.json.created_at, UpdatedAt: res.json.updated_at }),
    );
    expect(echo.status).toBe(200);

    for (const [over, field] of [
      [{ Email: 'other@example.com' }, 'email'],
      [{ Role: 'admin' }, 'role'],
      [{ Status: 'disabled' }, 'status'],
      [{ Credentials: { Username: 'someone' } }, 'credentials.username'],
      [{ Credentials: { Username: 'ada', Secret: 'new-secret-123' } }, 'credentials.secret'],
      [{ ID: '6f1ff7b4-2c35-4bb7-a2a8-0a7ad9c1d4e1' }, 'id'],
      [{ CreatedAt: '2020-01-01T00:00:00Z' }, 'created_at'],
    ] as [GoUser, string][]) {
      const refused = await sdk('PATCH', `/users/${ada.id}`, admin, body(over));
      expect({ field, status: refused.status }).toEqual({ field, status: 400 });
      expect(refused.json.message.startsWith(`${field}:`)).toBe(true);
    }
    // Nothing was changed by the refused requests.
    const after = await sdk('GET', `/users/${ada.id}`, admin);
    expect(after.json).toMatchObject({ email: 'ada@example.com', role: 'viewer', status: 'enabled' });
  });

  it('UpdateUserTags: the User with tags -> 200; with an empty list (omitted by the SDK) the tags are cleared', async () => {
    const ada = (await sdk('GET', `/users/search?${pageQuery({ Username: 'ada' })}`, admin)).json.users[0];
    const set = await sdk(
      'PATCH',
      `/users/${ada.id}/tags`,
      admin,
      marshalUser({ ID: ada.id, Tags: ['x', 'y'] }),
    );
    expect(set.status).toBe(200);
    expect(set.json.tags).toEqual(['x', 'y']);
    const cleared = await sdk('PATCH', `/users/${ada.id}/tags`, admin, marshalUser({ ID: ada.id, Tags: [] }));
    expect(cleared.status).toBe(200);
    expectDecodesAsUser(cleared.json);
    expect(cleared.json.tags).toEqual([]);
  });

  it('UpdateUserEmail: {email} -> 200', async () => {
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bob' })}`, admin)).json.users[0];
    const res = await sdk(
      'PATCH',
      `/users/${bob.id}/email`,
      admin,
      JSON.stringify({ email: 'bob2@example.com' }),
    );
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    expect(res.json.email).toBe('bob2@example.com');
  });

  it('UpdateUsername: {username} -> 200', async () => {
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bob' })}`, admin)).json.users[0];
    const res = await sdk('PATCH', `/users/${bob.id}/username`, admin, JSON.stringify({ username: 'bobby' }));
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    expect(res.json.credentials.username).toBe('bobby');
  });

  it('UpdateProfilePicture: the User with profile_picture -> 200 (picture still accepted)', async () => {
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bobby' })}`, admin)).json.users[0];
    const res = await sdk(
      'PATCH',
      `/users/${bob.id}/picture`,
      admin,
      marshalUser({ ID: bob.id, ProfilePicture: 'https://example.com/b.png' }),
    );
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    expect(res.json.profile_picture).toBe('https://example.com/b.png');
    const alias = await sdk(
      'PATCH',
      `/users/${bob.id}/picture`,
      admin,
      JSON.stringify({ picture: 'https://example.com/c.png' }),
    );
    expect(alias.json.profile_picture).toBe('https://example.com/c.png');
  });

  it('UpdateUserRole: the User with role "admin", then "user" -> 200, Usher names on output', async () => {
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bobby' })}`, admin)).json.users[0];
    const up = await sdk('PATCH', `/users/${bob.id}/role`, admin, marshalUser({ ID: bob.id, Role: 'admin' }));
    expect(up.status).toBe(200);
    expect(up.json.role).toBe('admin');
    const down = await sdk(
      'PATCH',
      `/users/${bob.id}/role`,
      admin,
      marshalUser({ ID: bob.id, Role: 'user' }),
    );
    expect(down.status).toBe(200);
    expectDecodesAsUser(down.json);
    expect(down.json.role).toBe('viewer');
    const byNumber = await sdk('PATCH', `/users/${bob.id}/role`, admin, JSON.stringify({ role: 1 }));
    expect(byNumber.json.role).toBe('editor');
  });

  it('UpdatePassword: {old_secret, new_secret} -> 200 and the User', async () => {
    const token = (await createToken('cyd', 'cy-password-1')).access_token;
    const res = await sdk(
      'PATCH',
      '/users/secret',
      token,
      JSON.stringify({ old_secret: 'cy-password-1', new_secret: 'cy-password-2' }),
    );
    expect(res.status).toBe(200);
    expectDecodesAsUser(res.json);
    await createToken('cyd', 'cy-password-2');
  });

  /** The first mail with a link after the first `after` mails (password-change notices carry none). */
  const linkMail = (address: string, after: number) =>
    until<ReceivedMail>(async () =>
      smtp
        .to(address)
        .slice(after)
        .find((m) => /[?&]token=/.test(m.text)),
    );

  it('ResetPasswordRequest and ResetPassword: {email, host} with Referer -> 201; PUT {token, password, confirm_password} with the token as bearer -> 201', async () => {
    const before = smtp.to('cy@example.com').length;
    const req = await sdk(
      'POST',
      '/password/reset-request',
      '',
      JSON.stringify({ email: 'cy@example.com', host: '' }),
      {
        Referer: 'http://localhost',
      },
    );
    expect(req.status).toBe(201);
    const token = tokenOf(await linkMail('cy@example.com', before));
    const res = await sdk(
      'PUT',
      '/password/reset',
      token,
      JSON.stringify({ token, password: 'cy-password-3', confirm_password: 'cy-password-3' }),
    );
    expect(res.status).toBe(201);
    await createToken('cyd', 'cy-password-3');
  });

  it('SendVerification and VerifyEmail: POST /users/send-verification -> 200 with no body; GET /verify-email?token= -> 200', async () => {
    // a fresh, unverified account (cy's reset proved its address and verified it)
    await createUser({
      FirstName: 'Di',
      LastName: 'D',
      Email: 'di@example.com',
      Credentials: { Username: 'did', Secret: 'di-password-1' },
    });
    const token = (await createToken('did', 'di-password-1')).access_token;
    const before = smtp.to('di@example.com').length;
    const sent = await sdk('POST', '/users/send-verification', token);
    expect(sent.status).toBe(200);
    expect(sent.text).toBe('');
    const link = tokenOf(await linkMail('di@example.com', before));
    const verified = await sdk('GET', `/verify-email?token=${encodeURIComponent(link)}`, '');
    expect(verified.status).toBe(200);
    expect((await sdk('GET', '/users/profile', token)).json.verified_at).toBeDefined();
  });

  it('DisableUser and EnableUser: POST with no body -> 200 and the User; again -> 422 as Magistrala', async () => {
    const cy = (await sdk('GET', `/users/search?${pageQuery({ Username: 'cyd' })}`, admin)).json.users[0];
    const off = await sdk('POST', `/users/${cy.id}/disable`, admin);
    expect(off.status).toBe(200);
    expectDecodesAsUser(off.json);
    expect(off.json.status).toBe('disabled');
    const offAgain = await sdk('POST', `/users/${cy.id}/disable`, admin);
    expect(offAgain.status).toBe(422);
    const on = await sdk('POST', `/users/${cy.id}/enable`, admin);
    expect(on.status).toBe(200);
    expect(on.json.status).toBe('enabled');
    expect((await sdk('POST', `/users/${cy.id}/enable`, admin)).status).toBe(422);
  });

  it('list active refresh tokens and revoke {token_id} (the users API the SDK user reaches): sessions', async () => {
    const first = await createToken('cyd', 'cy-password-3', 'laptop');
    const second = await createToken('cyd', 'cy-password-3', 'phone');
    const list = await sdk('GET', '/users/tokens/refresh-tokens', second.access_token);
    expect(list.status).toBe(200);
    expect(list.json.refresh_tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of list.json.refresh_tokens) {
      expect(typeof t.id).toBe('string');
      expect(typeof t.description).toBe('string');
    }
    // Which one is the first session: the one that is not current for the second token.
    const sessions = (await sdk('GET', '/users/sessions', second.access_token)).json.sessions as {
      id: string;
      current: boolean;
    }[];
    const others = sessions.filter((s) => !s.current).map((s) => s.id);
    for (const id of others) {
      const revoked = await sdk(
        'POST',
        '/users/tokens/revoke',
        second.access_token,
        JSON.stringify({ token_id: id }),
      );
      expect(revoked.status).toBe(204);
    }
    // The first session's refresh token is dead; the second still works.
    expect((await sdk('POST', '/users/tokens/refresh', first.refresh_token)).status).toBe(401);
    expect((await sdk('POST', '/users/tokens/refresh', second.refresh_token)).status).toBe(201);
    // Someone else's session id is not found, and ends nothing.
    const adaSession = (await sdk('GET', '/users/tokens/refresh-tokens', admin)).json.refresh_tokens[0].id;
    const foreign = await sdk(
      'POST',
      '/users/tokens/revoke',
      second.access_token,
      JSON.stringify({ token_id: adaSession }),
    );
    expect(foreign.status).toBe(404);
    expect((await sdk('GET', '/users/profile', admin)).status).toBe(200);
  });

  it('DeleteUser: DELETE /users/{id} -> 204', async () => {
    const bob = (await sdk('GET', `/users/search?${pageQuery({ Username: 'bobby' })}`, admin)).json.users[0];
    const res = await sdk('DELETE', `/users/${bob.id}`, admin);
    expect(res.status).toBe(204);
    expect((await sdk('GET', `/users/${bob.id}`, admin)).json.status).toBe('deleted');
  });
});
