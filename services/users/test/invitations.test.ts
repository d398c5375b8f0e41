import { Client } from 'pg';
import { expectRefusedElsewhere } from './email-tokens';
import {
  api,
  newUserBody,
  OWNER,
  startAuthProcess,
  startUsers,
  type AuthProcess,
  type UsersInstance,
} from './harness';
import { linkOf, SmtpSink, tokenOf } from './smtp';

describe('invitations by email', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let smtp: SmtpSink;
  let http: ReturnType<typeof api>;
  let owner: string;
  let admin: string;
  let viewer: string;

  const INVITE_PREFIX = 'http://app.example.test/invitations/accept';

  const accept = (token: string, username: string, over: Record<string, unknown> = {}) =>
    http.post('/users/invitations/accept', {
      token,
      first_name: 'Grace',
      last_name: 'Hopper',
      username,
      password: `pw-${username}-long`,
      ...over,
    });

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    auth = await startAuthProcess();
    // Self-registration off: invitations are the way in.
    users = await startUsers(auth.address, {
      ...smtp.env(),
      USHER_INVITATION_URL_PREFIX: INVITE_PREFIX,
      USHER_USERS_ALLOW_SELF_REGISTER: 'false',
    });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
    // An admin whose name needs escaping in the HTML part of the mail.
    expect(
      (
        await http.post(
          '/users',
          newUserBody('inviter', { role: 'admin', first_name: '<Ann & "Co">', last_name: '' }),
          owner,
        )
      ).status,
    ).toBe(201);
    admin = (await http.signIn('user_inviter', 'secret-inviter-long')).access_token;
    expect((await http.post('/users', newUserBody('viewer1'), owner)).status).toBe(201);
    viewer = (await http.signIn('user_viewer1', 'secret-viewer1-long')).access_token;
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    await smtp?.stop();
  });

  it('an admin invites an editor; the invitee follows the link and gets a verified account with that role', async () => {
    const created = await http.post(
      '/users/invitations',
      { email: 'grace@example.com', role: 'editor' },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'grace@example.com',
      role: 'editor',
      invited_by: expect.any(String),
    });
    const id = created.body.id as string;
    expect(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)).toBe(72 * 3600 * 1000);

    const listed = await http.get('/users/invitations', admin);
    expect(listed.status).toBe(200);
    expect(listed.body.invitations.map((i: { id: string }) => i.id)).toContain(id);

    const mail = await smtp.waitFor('grace@example.com');
    expect(`${linkOf(mail).origin}${linkOf(mail).pathname}`).toBe(INVITE_PREFIX);
    expect(mail.text).toContain('<Ann & "Co"> invited grace@example.com to Usher as editor');
    expect(mail.html).toContain('&lt;Ann &amp; &quot;Co&quot;&gt; invited');
    expect(mail.html).not.toContain('<Ann');
    expect(mail.text).toContain('72 hours');
    const token = tokenOf(mail);

    await expectRefusedElsewhere(http, token, 'accept');
    // A taken username leaves the link usable.
    const taken = await accept(token, 'user_viewer1');
    expect(taken.status).toBe(409);
    const weak = await accept(token, 'grace', { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.message).toMatch(/^password: /);

    const res = await accept(token, 'grace');
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/users/${res.body.id}`);
    expect(res.body).toMatchObject({
      email: 'grace@example.com',
      role: 'editor',
      status: 'enabled',
      first_name: 'Grace',
      credentials: { username: 'grace' },
      verified_at: expect.any(String),
    });
    expect((await accept(token, 'grace2')).status).toBe(401);
    await http.signIn('grace', 'pw-grace-long');

    expect(
      (await http.get('/users/invitations', admin)).body.invitations.map((i: { id: string }) => i.id),
    ).not.toContain(id);
    const audit = (await http.get('/audit?limit=100', owner)).body.events as {
      type: string;
      details: Record<string, unknown>;
    }[];
    expect(
      audit.find((e) => e.type === 'invitation_created' && e.details.invitation_id === id),
    ).toBeDefined();
    expect(
      audit.find((e) => e.type === 'invitation_accepted' && e.details.invitation_id === id),
    ).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('shows the link once to the admin who chose delivery "link": no mail, audited, stored nowhere in clear', async () => {
    const created = await http.post(
      '/users/invitations',
      { email: 'nomail@example.com', role: 'editor', delivery: 'link' },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const link = new URL(created.body.link as string);
    expect(`${link.origin}${link.pathname}`).toBe(INVITE_PREFIX);
    const token = link.searchParams.get('token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Mailed invitations carry no link in the answer; the list never shows one.
    const mailed = await http.post('/users/invitations', { email: 'mailed@example.com' }, admin);
    expect(mailed.body.link).toBeUndefined();
    const listed = await http.get('/users/invitations', admin);
    expect(listed.text).not.toContain(token);
    expect(listed.body.invitations.find((i: { id: string }) => i.id === created.body.id)).toBeDefined();

    // Nothing was queued for the address, and the token is in no table in clear (hashed in email_tokens).
    await smtp.waitFor('mailed@example.com');
    const db = new Client({ connectionString: users.db.url, options: '-c search_path=users,public' });
    await db.connect();
    try {
      const queued = await db.query(`select 1 from mail_queue where recipient = 'nomail@example.com'`);
      expect(queued.rowCount).toBe(0);
      for (const table of ['mail_queue', 'audit_log', 'outbox', 'email_tokens', 'invitations']) {
        const leaked = await db.query(`select 1 from ${table} t where strpos(t::text, $1) > 0`, [token]);
        expect({ table, rows: leaked.rowCount }).toEqual({ table, rows: 0 });
      }
    } finally {
      await db.end();
    }
    expect(smtp.mails.some((m) => JSON.stringify(m).includes('nomail@example.com'))).toBe(false);

    const audit = (await http.get('/audit?type=invitation_created&limit=100', owner)).body.events as {
      details: Record<string, unknown>;
    }[];
    expect(audit.find((e) => e.details.invitation_id === created.body.id)?.details).toMatchObject({
      email: 'nomail@example.com',
      role: 'editor',
      delivery: 'link',
    });
    // The link works once, like a mailed one.
    expect((await accept(token, 'nomail')).status).toBe(201);
    expect((await accept(token, 'nomail2')).status).toBe(401);
    expect(
      (await http.post('/users/invitations', { email: 'x2@example.com', delivery: 'sms' }, admin)).body
        .message,
    ).toMatch(/^delivery: /);
  });

  it('keeps to role rights: admins invite viewers and editors, owners any role; viewers invite nobody', async () => {
    expect(
      (await http.post('/users/invitations', { email: 'a1@example.com', role: 'admin' }, admin)).status,
    ).toBe(403);
    expect(
      (await http.post('/users/invitations', { email: 'a1@example.com', role: 'owner' }, admin)).status,
    ).toBe(403);
    expect((await http.post('/users/invitations', { email: 'a1@example.com' }, viewer)).status).toBe(403);
    expect((await http.get('/users/invitations', viewer)).status).toBe(403);
    expect((await http.post('/users/invitations', { email: 'a1@example.com' })).status).toBe(401);

    const asAdmin = await http.post('/users/invitations', { email: 'a1@example.com', role: 2 }, owner);
    expect(asAdmin.status).toBe(201);
    expect(asAdmin.body.role).toBe('admin');
    // An admin cannot revoke an invitation to a role they could not give.
    expect((await http.del(`/users/invitations/${asAdmin.body.id}`, admin)).status).toBe(403);
    const viewerInvite = await http.post('/users/invitations', { email: 'v1@example.com' }, admin);
    expect(viewerInvite.body.role).toBe('viewer');
    expect((await http.del(`/users/invitations/${viewerInvite.body.id}`, admin)).status).toBe(204);
  });

  it('revokes a pending invitation: its link stops working; refuses duplicates and taken addresses', async () => {
    const created = await http.post(
      '/users/invitations',
      { email: 'revoked@example.com', role: 'viewer' },
      owner,
    );
    const token = tokenOf(await smtp.waitFor('revoked@example.com'));
    expect((await http.post('/users/invitations', { email: 'REVOKED@example.com' }, owner)).status).toBe(409);
    expect((await http.post('/users/invitations', { email: 'user-viewer1@example.com' }, owner)).status).toBe(
      409,
    );

    expect((await http.del(`/users/invitations/${created.body.id}`, owner)).status).toBe(204);
    expect((await http.del(`/users/invitations/${created.body.id}`, owner)).status).toBe(404);
    expect((await accept(token, 'revoked_user')).status).toBe(401);
    // Revoked, the address may be invited again.
    expect((await http.post('/users/invitations', { email: 'revoked@example.com' }, owner)).status).toBe(201);
  });

  it('validates bodies and parameters', async () => {
    expect((await http.post('/users/invitations', { email: 'nope' }, owner)).status).toBe(400);
    expect(
      (await http.post('/users/invitations', { email: 'x@example.com', role: 'king' }, owner)).status,
    ).toBe(400);
    expect((await http.del('/users/invitations/not-a-uuid', owner)).status).toBe(400);
    expect((await http.get('/users/invitations?limit=1000', owner)).status).toBe(400);
    expect(
      (await http.post('/users/invitations/accept', { token: 'x', username: 'ab', password: 'long-enough' }))
        .status,
    ).toBe(400);
    expect(
      (await http.post('/users/invitations/accept', { token: 'x', username: 'abc', password: 'long-enough' }))
        .status,
    ).toBe(401);
  });
});
