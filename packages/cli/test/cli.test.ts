import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import bcrypt from 'bcrypt';
import { Client } from 'pg';
import { freePort } from '@usher/testkit';
import { api, CLI_MAIN, OWNER, startStack, usher, type Stack } from './stack';

jest.setTimeout(120_000);

let stack: Stack;
let home: string; // the owner's config dir
let client: ReturnType<typeof api>;
const homes: string[] = [];

const newHome = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-cli-home-'));
  homes.push(dir);
  return dir;
};
const credsFile = (h: string) => path.join(h, 'config', 'usher', 'credentials.json');
const run = (args: string[], input?: string, h = home, env: Record<string, string> = {}) =>
  usher(args, { home: h, input, env: { USHER_URL: stack.url, ...env } });

beforeAll(async () => {
  stack = await startStack({ USHER_USERS_LOCKOUT_THRESHOLD: '3' });
  client = api(stack.url);
  home = newHome();
});

afterAll(async () => {
  await stack?.stop();
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

/** Creates a user with a known password through the API, as the owner. */
async function createUser(email: string, username: string, password: string, role = 'viewer') {
  const owner = await client.signIn(OWNER.email, OWNER.password);
  const res = await client.call(
    'POST',
    '/users',
    { email, role, credentials: { username, secret: password } },
    owner.body.access_token,
  );
  expect(res.status).toBe(201);
  return res.body;
}

describe('usage and errors', () => {
  it('has help on every command, and usage errors exit 2', async () => {
    for (const args of [
      ['--help'],
      ['login', '--help'],
      ['logout', '--help'],
      ['whoami', '--help'],
      ['export', '--help'],
      ['auth', '--help'],
      ...[
        'status',
        'enable',
        'disable',
        'add-user',
        'list-users',
        'reset-password',
        'change-role',
        'deactivate-user',
        'reactivate-user',
        'delete-user',
        'unlock',
        'sessions',
        'revoke-sessions',
        'audit',
        'recover',
      ].map((c) => ['auth', c, '--help']),
    ]) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.stdout).toMatch(/Usage: usher/);
    }
    expect((await run(['bogus'])).code).toBe(2);
    expect((await run(['auth', 'change-role'])).code).toBe(2); // missing arguments
    expect((await run(['auth', 'list-users', '--role', 'emperor'])).code).toBe(2);
    expect((await run(['auth', 'list-users', '--limit', 'x'])).code).toBe(2);
  });

  it('explains a wrong URL (exit 7)', async () => {
    const port = await freePort();
    const r = await run(['whoami', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/cannot reach the users service at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const bad = await run(['whoami', '--url', 'not a url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid URL/);
  });

  it('says when nobody is signed in (exit 3)', async () => {
    const r = await run(['whoami'], undefined, newHome());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not signed in .*usher login/);
    const j = await run(['whoami', '--json'], undefined, newHome());
    expect(j.json).toEqual({ error: 'unauthenticated', message: expect.stringMatching(/not signed in/) });
  });
});

describe('login, whoami, tokens', () => {
  it('refuses a wrong secret (exit 3) and saves nothing', async () => {
    const h = newHome();
    const r = await run(['login', '--identity', OWNER.email, '--password-stdin'], 'wrong-password-1\n', h);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/wrong identity or secret/);
    expect(fs.existsSync(credsFile(h))).toBe(false);
  });

  it('signs in from stdin, stores the tokens with mode 0600 and never echoes the secret', async () => {
    // Identity and secret both piped: the prompts read stdin lines when it is not a terminal.
    const r = await run(['login'], `${OWNER.email}\n${OWNER.password}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(OWNER.password);
    expect(r.stdout).toMatch(/Signed in to http:\/\/127\.0\.0\.1:\d+ as owner@example\.com/);
    const stat = fs.statSync(credsFile(home));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(credsFile(home))).mode & 0o077).toBe(0);
    const saved = JSON.parse(fs.readFileSync(credsFile(home), 'utf8'));
    expect(saved).toMatchObject({ url: stack.url, identity: OWNER.email });
    expect(JSON.stringify(saved)).not.toContain(OWNER.password);

    const who = await run(['whoami', '--json']);
    expect(who.code).toBe(0);
    expect(who.json.user).toMatchObject({ email: OWNER.email, role: 'owner' });
    const text = await run(['whoami']);
    expect(text.stdout).toMatch(/owner@example\.com \(owner\)/);
    expect(text.stdout).not.toContain('\x1b['); // no colours off a terminal
  });

  it('refreshes an expired access token, and reports an expired login (exit 3)', async () => {
    const h = newHome();
    expect((await run(['login', '--identity', OWNER.email], `${OWNER.password}\n`, h)).code).toBe(0);
    const saved = JSON.parse(fs.readFileSync(credsFile(h), 'utf8'));
    const expired = `e30.${Buffer.from(JSON.stringify({ exp: 1 })).toString('base64url')}.sig`;
    fs.writeFileSync(credsFile(h), JSON.stringify({ ...saved, access_token: expired }), { mode: 0o600 });
    const who = await run(['whoami', '--json'], undefined, h);
    expect(who.code).toBe(0);
    const after = JSON.parse(fs.readFileSync(credsFile(h), 'utf8'));
    expect(after.access_token).not.toBe(expired);
    expect(after.refresh_token).not.toBe(saved.refresh_token);
    expect(fs.statSync(credsFile(h)).mode & 0o777).toBe(0o600);

    // The refresh token is spent too (a replayed one): the login has expired.
    fs.writeFileSync(
      credsFile(h),
      JSON.stringify({ ...after, access_token: expired, refresh_token: saved.refresh_token }),
      { mode: 0o600 },
    );
    const gone = await run(['whoami'], undefined, h);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/saved login has expired; run: usher login/);
  });

  it('on a terminal: prompts without echo, and colours unless NO_COLOR', async () => {
    const h = newHome();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: h,
      XDG_CONFIG_HOME: path.join(h, 'config'),
      USHER_URL: stack.url,
    };
    // `script` runs the CLI on a pseudo-terminal; the password is typed once the prompt shows.
    const onPty = (command: string, typed?: string, extra: Record<string, string> = {}) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn('script', ['-qfec', command, '/dev/null'], {
          env: { ...env, ...extra },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let sent = false;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (typed !== undefined && !sent && out.includes('Password: ')) {
            sent = true;
            child.stdin.write(typed + '\r');
          }
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
      });
    const cli = `${process.execPath} ${CLI_MAIN}`;
    const login = await onPty(`${cli} login --identity ${OWNER.email}`, OWNER.password);
    expect(login.out).toMatch(/Password: /);
    expect(login.out).not.toContain(OWNER.password);
    expect(login.code).toBe(0);
    expect(login.out).toContain('\x1b[32mSigned in\x1b[39m');
    expect(fs.statSync(credsFile(h)).mode & 0o777).toBe(0o600);
    const plain = await onPty(`${cli} auth status`, undefined, { NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/authentication: required/);
    expect(plain.out).not.toContain('\x1b[');
  });

  it('auth status shows that authentication is required', async () => {
    const r = await run(['auth', 'status', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      url: stack.url,
      authentication_required: true,
      default: true,
      signed_in_as: OWNER.email,
    });
    expect((await run(['auth', 'status'])).stdout).toMatch(/authentication: required/);
  });
});

describe('auth enable / disable', () => {
  it('switches authentication off (after confirmation) and back on', async () => {
    const nobody = newHome();
    const no = await run(['auth', 'disable'], 'n\n');
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/stays required/);
    expect((await run(['auth', 'status', '--json'], undefined, nobody)).json.authentication_required).toBe(
      true,
    );

    const off = await run(['auth', 'disable'], 'y\n');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/Authentication is DISABLED/);
    // Without a login, requests act as the owner now.
    expect((await run(['auth', 'status', '--json'], undefined, nobody)).json.authentication_required).toBe(
      false,
    );
    expect((await run(['whoami', '--json'], undefined, nobody)).json.user.email).toBe(OWNER.email);
    expect((await run(['auth', 'status'])).stdout).toMatch(/authentication: DISABLED[\s\S]*\(set \d{4}-/);

    const on = await run(['auth', 'enable', '--json']);
    expect(on.json).toMatchObject({ required: true, default: true });
    expect((await run(['whoami'], undefined, nobody)).code).toBe(3);
    expect((await run(['auth', 'disable', '--yes', '--json'])).json.required).toBe(false);
    expect((await run(['auth', 'enable'])).stdout).toMatch(/Authentication is required/);
    const audit = await run(['auth', 'audit', '--type', 'settings_changed', '--json']);
    expect(audit.json.events).toHaveLength(4);
  });
});

describe('user management', () => {
  it('invites by default and creates with a temporary password with --password', async () => {
    const inv = await run(['auth', 'add-user', 'invited@example.com', '--role', 'editor', '--json']);
    expect(inv.code).toBe(0);
    expect(inv.json.invitation).toMatchObject({ email: 'invited@example.com', role: 'editor' });
    const again = await run(['auth', 'add-user', 'invited@example.com']);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/conflict/);

    const made = await run([
      'auth',
      'add-user',
      'temp.user@example.com',
      '--password',
      '--role',
      'admin',
      '--json',
    ]);
    expect(made.code).toBe(0);
    expect(made.json.user).toMatchObject({
      email: 'temp.user@example.com',
      role: 'admin',
      credentials: { username: 'temp.user' },
    });
    const temporary: string = made.json.temporary_password;
    expect(temporary.length).toBeGreaterThanOrEqual(20);
    const signIn = await client.signIn('temp.user@example.com', temporary);
    expect(signIn.status).toBe(201);
    const profile = await client.call('GET', '/users/profile', undefined, signIn.body.access_token);
    expect(profile).toMatchObject({ status: 403, body: { error: 'password_change_required' } });

    const text = await run(['auth', 'add-user', 'second@example.com', '--password']);
    expect(text.stdout).toMatch(/Temporary password \(shown once/);
  });

  it('add-user --show-link prints the invitation link once instead of mailing it', async () => {
    const shown = await run(['auth', 'add-user', 'nomail@example.com', '--role', 'viewer', '--show-link']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/shown only this once/);
    const link = /^(\S+\?token=[A-Za-z0-9_-]{43})$/m.exec(shown.stdout)?.[1];
    expect(link).toBeDefined();
    const audit = await run(['auth', 'audit', '--type', 'invitation_created', '--json']);
    const entry = audit.json.events.find(
      (e: { details: { email?: string } }) => e.details.email === 'nomail@example.com',
    );
    expect(entry.details.delivery).toBe('link');
    expect(JSON.stringify(audit.json)).not.toContain(new URL(link!).searchParams.get('token'));
    const accepted = await client.call('POST', '/users/invitations/accept', {
      token: new URL(link!).searchParams.get('token'),
      username: 'nomail',
      password: 'nomail-password-1',
    });
    expect(accepted.status).toBe(201);
  });

  it('lists users as a table, with filters, and as JSON', async () => {
    await createUser('alice@example.com', 'alice', 'alice-password-1', 'editor');
    const r = await run(['auth', 'list-users']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^EMAIL\s+USERNAME\s+ROLE\s+STATUS\s+CREATED/);
    expect(r.stdout).toMatch(/alice@example\.com\s+alice\s+editor\s+enabled/);
    expect(r.stdout).toContain(OWNER.email);
    const editors = await run(['auth', 'list-users', '--role', 'editor', '--json']);
    expect(editors.json.users.map((u: { email: string }) => u.email)).toEqual(['alice@example.com']);
    const search = await run(['auth', 'list-users', '--search', 'ALIC', '--json']);
    expect(search.json.users.map((u: { email: string }) => u.email)).toEqual(['alice@example.com']);
    const limited = await run(['auth', 'list-users', '--limit', '1', '--json']);
    expect(limited.json.users).toHaveLength(1);
    expect(limited.json.total).toBeGreaterThan(1);
  });

  it('changes roles, deactivates, reactivates and resets passwords', async () => {
    await createUser('bob@example.com', 'bob', 'bob-password-11');
    const role = await run(['auth', 'change-role', 'bob@example.com', 'editor', '--json']);
    expect(role.code).toBe(0);
    expect(role.json.role).toBe('editor');
    expect((await run(['auth', 'change-role', 'bob@example.com', 'emperor'])).code).toBe(2);

    expect((await run(['auth', 'deactivate-user', 'bob@example.com'])).stdout).toMatch(
      /deactivated \(status: disabled\)/,
    );
    expect((await client.signIn('bob', 'bob-password-11')).status).toBe(401);
    expect((await run(['auth', 'list-users', '--status', 'disabled', '--json'])).json.users[0].email).toBe(
      'bob@example.com',
    );
    expect((await run(['auth', 'reactivate-user', 'bob@example.com'])).code).toBe(0);
    expect((await client.signIn('bob', 'bob-password-11')).status).toBe(201);

    const reset = await run(['auth', 'reset-password', 'bob@example.com', '--json']);
    expect(reset.code).toBe(0);
    expect((await client.signIn('bob', 'bob-password-11')).status).toBe(401);
    expect((await client.signIn('bob', reset.json.temporary_password)).status).toBe(201);

    const missing = await run(['auth', 'reset-password', 'nobody@example.com']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no user with email nobody@example\.com/);
  });

  it('unlocks a locked-out user', async () => {
    await createUser('carol@example.com', 'carol', 'carol-password-1');
    for (let i = 0; i < 3; i++) await client.signIn('carol@example.com', 'wrong-password');
    expect((await client.signIn('carol@example.com', 'carol-password-1')).status).toBe(423);
    const r = await run(['auth', 'unlock', 'carol@example.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/carol@example\.com unlocked/);
    expect((await client.signIn('carol@example.com', 'carol-password-1')).status).toBe(201);
  });

  it('lists and revokes sessions', async () => {
    await createUser('dave@example.com', 'dave', 'dave-password-1');
    await client.signIn('dave', 'dave-password-1');
    await client.signIn('dave', 'dave-password-1');
    const list = await run(['auth', 'sessions', 'dave@example.com', '--json']);
    expect(list.code).toBe(0);
    expect(list.json.sessions).toHaveLength(2);
    expect((await run(['auth', 'sessions', 'dave@example.com'])).stdout).toMatch(/^ID\s+METHOD\s+IP/);
    expect((await run(['auth', 'revoke-sessions', 'dave@example.com'])).code).toBe(0);
    expect((await run(['auth', 'sessions', 'dave@example.com', '--json'])).json.sessions).toHaveLength(0);
    expect((await run(['auth', 'sessions', 'dave@example.com'])).stdout).toMatch(/no live sessions/);
  });

  it('deletes only after confirmation', async () => {
    await createUser('erin@example.com', 'erin', 'erin-password-1');
    const no = await run(['auth', 'delete-user', 'erin@example.com'], 'n\n');
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/not deleted/);
    expect((await client.signIn('erin', 'erin-password-1')).status).toBe(201);
    const yes = await run(['auth', 'delete-user', 'erin@example.com'], 'yes\n');
    expect(yes.code).toBe(0);
    expect((await client.signIn('erin', 'erin-password-1')).status).toBe(401);
    await createUser('frank@example.com', 'frank', 'frank-password-1');
    expect((await run(['auth', 'delete-user', 'frank@example.com', '--yes', '--json'])).json).toMatchObject({
      deleted: true,
    });
    const listed = await run(['auth', 'list-users', '--status', 'deleted', '--json']);
    expect(listed.json.users.map((u: { email: string }) => u.email).sort()).toEqual([
      'erin@example.com',
      'frank@example.com',
    ]);
    expect((await run(['auth', 'delete-user', OWNER.email, '--yes'])).code).toBe(6); // the last owner
    // --purge removes for good, also an account already soft-deleted.
    const purged = await run(['auth', 'delete-user', 'frank@example.com', '--yes', '--purge', '--json']);
    expect(purged.json).toMatchObject({ deleted: true, purged: true });
    const after = await run(['auth', 'list-users', '--status', 'all', '--json']);
    expect(after.json.users.map((u: { email: string }) => u.email)).not.toContain('frank@example.com');
  });

  it('refuses a forbidden action with exit 5', async () => {
    await createUser('viewer@example.com', 'viewer1', 'viewer-password-1');
    const h = newHome();
    expect((await run(['login', '--identity', 'viewer1'], 'viewer-password-1\n', h)).code).toBe(0);
    const r = await run(['auth', 'list-users'], undefined, h);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/forbidden/);
    const enable = await run(['auth', 'enable'], undefined, h);
    expect(enable.code).toBe(5);
    expect(enable.stderr).toMatch(/auth enable: forbidden \(only owners change this setting\)/);
  });

  it('reads the audit log with filters', async () => {
    const all = await run(['auth', 'audit', '--json', '--limit', '5']);
    expect(all.code).toBe(0);
    expect(all.json.events).toHaveLength(5);
    const roles = await run(['auth', 'audit', '--type', 'role_changed', '--json']);
    expect(roles.json.events.length).toBeGreaterThan(0);
    expect(roles.json.events.every((e: { type: string }) => e.type === 'role_changed')).toBe(true);
    const carol = await run(['auth', 'audit', '--user', 'carol@example.com', '--type', 'unlocked', '--json']);
    expect(carol.json.events).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await run(['auth', 'audit', '--since', today])).stdout).toMatch(/^TIME\s+TYPE\s+OUTCOME/);
    expect((await run(['auth', 'audit', '--since', '2999-01-01'])).stdout).toMatch(/No events/);
    expect((await run(['auth', 'audit', '--since', 'yesterday'])).code).toBe(2);
    expect((await run(['auth', 'audit', '--type', 'nonsense'])).code).toBe(2);
  });

  it('exports users without secrets as NDJSON and CSV', async () => {
    const nd = await run(['export']);
    expect(nd.code).toBe(0);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((u) => u.email)).toEqual(
      expect.arrayContaining([OWNER.email, 'alice@example.com', 'erin@example.com']),
    );
    expect(Object.keys(lines[0]).sort()).toEqual(
      [
        'id',
        'email',
        'username',
        'first_name',
        'last_name',
        'role',
        'status',
        'tags',
        'metadata',
        'picture',
        'verified_at',
        'created_at',
        'updated_at',
      ].sort(),
    );
    expect(nd.stdout).not.toMatch(/secret|hash|\$2[aby]\$/);
    const csv = await run(['export', '--format', 'csv']);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe(
      'id,email,username,first_name,last_name,role,status,tags,metadata,picture,verified_at,created_at,updated_at',
    );
    expect(rows).toHaveLength(lines.length + 1);
    const file = path.join(newHome(), 'users.csv');
    expect((await run(['export', '--format', 'csv', '--output', file])).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(csv.stdout);
  });
});

describe('import', () => {
  it('imports NDJSON with bcrypt hashes kept and bad lines reported and skipped', async () => {
    const hash = await bcrypt.hash('hashed-password-1', 4);
    const dir = newHome();
    const file = path.join(dir, 'users.ndjson');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({
          email: 'hashed@example.com',
          username: 'hashed',
          secret_hash: hash,
          role: 'editor',
        }),
        JSON.stringify({ email: 'plainpw@example.com', secret: 'plain-password-1', first_name: 'Plain' }),
        '{"email": "broken@example.com",',
        JSON.stringify({ email: 'badhash@example.com', secret_hash: '$2b$04$tooshort' }),
        '',
        JSON.stringify({ email: 'alice@example.com', username: 'alice2', secret: 'whatever-pw-1' }),
        JSON.stringify({ email: 'hashed@example.com', username: 'hashed2', secret: 'whatever-pw-1' }),
        '[1, 2]',
      ].join('\n') + '\n',
    );
    const dry = await run(['import', file, '--dry-run', '--json']);
    expect(dry.code).toBe(1);
    expect(dry.json).toMatchObject({ dry_run: true, valid: 2, created: 0, skipped: 5, lines: 8 });
    expect((await client.signIn('hashed@example.com', 'hashed-password-1')).status).toBe(401);

    const r = await run(['import', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/8 lines read/);
    expect(r.stdout).toMatch(/2 created/);
    expect(r.stdout).toMatch(/5 skipped/);
    expect(r.stderr).toMatch(/^line 3: not valid JSON$/m);
    expect(r.stderr).toMatch(/^line 4: invalid: secret_hash: not a bcrypt hash/m);
    expect(r.stderr).toMatch(/^line 6: conflict: email already taken$/m);
    expect(r.stderr).toMatch(/^line 7: conflict: email or username repeated in this batch$/m);
    expect(r.stderr).toMatch(/^line 8: not a JSON object$/m);
    expect(r.stdout + r.stderr).not.toContain('plain-password-1');
    expect(r.stderr).not.toContain('\x1b['); // no progress bar off a terminal
    // The imported users keep their passwords.
    expect((await client.signIn('hashed@example.com', 'hashed-password-1')).status).toBe(201);
    expect((await client.signIn('plainpw', 'plain-password-1')).status).toBe(201);
    const listed = await run(['auth', 'list-users', '--search', 'hashed', '--json']);
    expect(listed.json.users[0]).toMatchObject({ email: 'hashed@example.com', role: 'editor' });
    // Running it again creates nothing: every line is a conflict now.
    const again = await run(['import', file, '--json']);
    expect(again.json).toMatchObject({ created: 0, skipped: 7 });
  });

  it('imports CSV with quoted fields, tags and metadata', async () => {
    const file = path.join(newHome(), 'users.csv');
    fs.writeFileSync(
      file,
      [
        'email,username,first_name,last_name,role,tags,metadata,password',
        'csv1@example.com,csv1,"Smith, Jr.","O""Brien",viewer,a;b,"{""team"":""qa""}",csv-password-1',
        'csv2@example.com,,Ann,,admin,,,csv-password-2',
        'csv3@example.com,csv3,too,few',
        'csv4@example.com,csv4,"multi',
        'line",x,viewer,,,csv-password-4',
      ].join('\r\n') + '\r\n',
    );
    const r = await run(['import', file, '--json']);
    expect(r.json).toMatchObject({ created: 3, skipped: 1, lines: 6 });
    expect(r.json.errors).toEqual([{ line: 4, reason: 'expected 8 columns, found 4' }]);
    const one = (await run(['auth', 'list-users', '--search', 'csv1', '--json'])).json.users[0];
    expect(one).toMatchObject({
      first_name: 'Smith, Jr.',
      last_name: 'O"Brien',
      tags: ['a', 'b'],
      metadata: { team: 'qa' },
    });
    expect((await client.signIn('csv2', 'csv-password-2')).status).toBe(201);
    expect((await run(['auth', 'list-users', '--search', 'csv4', '--json'])).json.users[0].first_name).toBe(
      'multi\nline',
    );
    const bad = await run(['import', path.join(newHome(), 'users.txt')]);
    expect(bad.code).toBe(2);
  });

  it('imports many users quickly', async () => {
    const n = Number(process.env.USHER_CLI_IMPORT_COUNT) || 3000;
    const hash = await bcrypt.hash('bulk-password-1', 4);
    const file = path.join(newHome(), 'bulk.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < n; i++)
      lines.push(JSON.stringify({ email: `bulk${i}@example.com`, username: `bulk${i}`, secret_hash: hash }));
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = await run(['import', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ created: n, skipped: 0 });
    process.stdout.write(`imported ${n} users in ${r.json.seconds}s (${r.json.users_per_second} users/s)\n`);
    expect((await client.signIn(`bulk${n - 1}`, 'bulk-password-1')).status).toBe(201);
  }, 900_000);
});

describe('recover and logout', () => {
  it('creates a recovery owner in the database when no owner can sign in', async () => {
    // The only owner's password is lost.
    const db = new Client({ connectionString: stack.usersDb.url });
    await db.connect();
    try {
      await db.query(
        `update users.credentials set secret_hash = 'lost' where user_id =
        (select id from users.users where email = $1)`,
        [OWNER.email],
      );
    } finally {
      await db.end();
    }
    expect((await client.signIn(OWNER.email, OWNER.password)).status).toBe(401);

    const h = newHome();
    const env = { USHER_DB_URL: stack.usersDb.url, USHER_BCRYPT_COST: '4' };
    const r = await usher(['auth', 'recover', '--json'], { home: h, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { email, temporary_password: temporary } = r.json;
    expect(email).toMatch(/^recovery-\d{14}@usher\.invalid$/);

    // The temporary password must be changed first.
    const first = await client.signIn(email, temporary);
    expect(first.status).toBe(201);
    const blocked = await client.call('GET', '/users/profile', undefined, first.body.access_token);
    expect(blocked).toMatchObject({ status: 403, body: { error: 'password_change_required' } });
    const changed = await client.call(
      'PATCH',
      '/users/secret',
      { old_secret: temporary, new_secret: 'recovered-password-1' },
      first.body.access_token,
    );
    expect(changed.status).toBe(200);

    // The recovery owner can act as an owner, through the CLI too; the recovery is audited.
    expect(
      (
        await usher(['login', '--url', stack.url, '--identity', email], {
          home: h,
          input: 'recovered-password-1\n',
        })
      ).code,
    ).toBe(0);
    expect((await usher(['whoami', '--json'], { home: h })).json.user).toMatchObject({
      email,
      role: 'owner',
      status: 'enabled',
    });
    const audit = await usher(['auth', 'audit', '--type', 'recovery_owner_created', '--json'], { home: h });
    expect(audit.code).toBe(0);
    expect(audit.json.events).toHaveLength(1);
    expect(audit.json.events[0]).toMatchObject({ target_id: r.json.id, details: { email } });
    expect(JSON.stringify(audit.json)).not.toContain(temporary);

    const text = await usher(['auth', 'recover', '--email', 'rescue@example.com', '--username', 'rescue'], {
      home: h,
      env,
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Recovery owner created: rescue@example\.com/);
    const dup = await usher(['auth', 'recover', '--email', 'rescue@example.com', '--username', 'rescue'], {
      home: h,
      env,
    });
    expect(dup.code).toBe(6);
    const noDb = await usher(['auth', 'recover'], {
      home: h,
      env: { USHER_DB_URL: `postgres://nobody@127.0.0.1:${await freePort()}/users` },
    });
    expect(noDb.code).toBe(7);
    expect(noDb.stderr).toMatch(/cannot reach the users database/);
  });

  it('logs out: ends the session on the server and deletes the file', async () => {
    const h = newHome();
    await createUser('gina@example.com', 'gina', 'gina-password-1');
    expect((await run(['login', '--identity', 'gina'], 'gina-password-1\n', h)).code).toBe(0);
    const saved = JSON.parse(fs.readFileSync(credsFile(h), 'utf8'));
    const out = await run(['logout', '--json'], undefined, h);
    expect(out.json).toEqual({ signed_out: true, session_revoked: true });
    expect(fs.existsSync(credsFile(h))).toBe(false);
    expect((await client.call('GET', '/users/profile', undefined, saved.access_token)).status).toBe(401);
    expect((await run(['whoami'], undefined, h)).code).toBe(3);
    expect((await run(['logout'], undefined, h)).stdout).toMatch(/Not signed in/);
  });
});
