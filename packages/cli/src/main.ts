#!/usr/bin/env node
import fs from 'fs';
import { randomBytes } from 'crypto';
import { Command, CommanderError, Option } from 'commander';
import { apiError, request, resolveUrl, Session, type ApiAnswer } from './client';
import { credentialsPath, deleteCredentials, readCredentials, writeCredentials } from './credentials';
import { CliError, colorEnabled, EXIT, style, table, type Style } from './output';
import { ask, confirm, nextStdinLine, stdinIsTTY } from './prompt';
import { importFile, lineCount, progressBar } from './import';
import { recoverOwner } from './recover';

const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
const STATUSES = ['enabled', 'disabled', 'deleted', 'all'] as const;

interface Globals {
  url?: string;
  json?: boolean;
  color?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API users, printed as they come
type ApiUser = any;

const program = new Command();

function globals(cmd: Command): Globals {
  return cmd.optsWithGlobals<Globals>();
}

/** Output helpers of one command run: JSON for scripts, text (coloured on a TTY) for people. */
function io(cmd: Command) {
  const g = globals(cmd);
  const s: Style = style(colorEnabled(process.stdout, g.color !== false));
  return {
    g,
    s,
    json: Boolean(g.json),
    /** Prints `data` as JSON with --json, else the human text. */
    print(data: unknown, human: () => string) {
      process.stdout.write(g.json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n');
    },
    session: () => Session.open(g.url),
  };
}

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`${name} must be a positive integer`, EXIT.usage, 'usage');
    return n;
  };
}

/** EMAIL → the user, by exact (case-insensitive) match among the accounts of any status. */
async function userByEmail(session: Session, email: string): Promise<ApiUser> {
  const q = new URLSearchParams({ email: email.trim(), status: 'all', limit: '100' });
  const res = await session.expect('GET', `/users?${q}`, [200], `looking up ${email}`);
  const found = (res.body.users as ApiUser[]).find(
    (u) => u.email.toLowerCase() === email.trim().toLowerCase(),
  );
  if (!found) throw new CliError(`no user with email ${email}`, EXIT.notFound, 'not_found');
  return found;
}

const userRow = (u: ApiUser) => [
  u.email,
  u.credentials?.username ?? '',
  u.role,
  u.status,
  String(u.created_at ?? '')
    .slice(0, 19)
    .replace('T', ' '),
];

function describeUser(u: ApiUser, s: Style): string {
  return [
    `${s.bold(u.email)} (${u.credentials?.username ?? ''})`,
    `  id:      ${u.id}`,
    `  role:    ${u.role}`,
    `  status:  ${u.status}`,
    `  created: ${u.created_at}`,
  ].join('\n');
}

/** A password the server immediately replaces (POST /users needs one); never shown or kept. */
const throwawaySecret = () => randomBytes(24).toString('base64url');

function usernameFor(email: string): string {
  let name = (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (name.length < 3) name = `${name}-user`.replace(/^-/, 'u');
  return name.slice(0, 64);
}

async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !stdinIsTTY()) {
    const line = await nextStdinLine();
    if (line === undefined || line === '')
      throw new CliError('expected the secret on stdin', EXIT.usage, 'usage');
    return line;
  }
  return ask(prompt, true);
}

// ---------------------------------------------------------------------------------------------
program
  .name('usher')
  .description(
    'Administer Usher: sign in, manage users and sessions, read the audit log, recover, import, export.',
  )
  .option('--url <url>', 'users service URL (default: $USHER_URL, the saved login, http://localhost:9002)')
  .option('--json', 'machine-readable JSON output')
  .option('--no-color', 'no colours (also NO_COLOR=1; colours are only used on a terminal)')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 error, 2 usage or invalid input, 3 not signed in / session expired / locked,
4 not found, 5 forbidden, 6 conflict, 7 server or database unreachable.`,
  );

program
  .command('login')
  .description('Sign in and save the tokens (mode 0600) in $XDG_CONFIG_HOME/usher/credentials.json')
  .option('--identity <email|username>', 'who signs in (prompted when absent)')
  .option('--password-stdin', 'read the secret from stdin (the default when stdin is not a terminal)')
  .action(async (opts: { identity?: string; passwordStdin?: boolean }, cmd: Command) => {
    const o = io(cmd);
    const url = resolveUrl(o.g.url, null);
    const identity = (opts.identity ?? (await ask('Email or username: '))).trim();
    if (!identity) throw new CliError('an identity is required', EXIT.usage, 'usage');
    const secret = await readSecret('Password: ', Boolean(opts.passwordStdin));
    const res = await request(url, 'POST', '/users/tokens/issue', { body: { identity, secret } });
    if (res.status === 401)
      throw new CliError('sign-in failed: wrong identity or secret', EXIT.auth, 'unauthenticated');
    if (res.status !== 201) throw apiError(res, 'sign-in failed');
    writeCredentials({
      url,
      identity,
      access_token: res.body.access_token,
      refresh_token: res.body.refresh_token,
      saved_at: new Date().toISOString(),
    });
    o.print(
      { url, identity, credentials: credentialsPath() },
      () => `${o.s.green('Signed in')} to ${url} as ${identity}`,
    );
  });

program
  .command('logout')
  .description('End the session on the server and delete the saved tokens')
  .action(async (_opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const saved = readCredentials();
    let revoked = false;
    if (saved) {
      try {
        const res = await request(saved.url, 'POST', '/users/tokens/revoke', { token: saved.access_token });
        revoked = res.status === 204;
        if (res.status === 401) {
          // An expired access token: end the session with a refreshed one.
          const refreshed = await request(saved.url, 'POST', '/users/tokens/refresh', {
            token: saved.refresh_token,
          });
          if (refreshed.status === 201) {
            const again = await request(saved.url, 'POST', '/users/tokens/revoke', {
              token: refreshed.body.access_token,
            });
            revoked = again.status === 204;
          }
        }
      } catch {
        // The server is gone: forgetting the tokens locally is still what was asked.
      }
    }
    const deleted = deleteCredentials();
    o.print({ signed_out: deleted, session_revoked: revoked }, () =>
      deleted
        ? `Signed out${revoked ? '' : o.s.yellow(' (the server did not confirm the session end)')}`
        : 'Not signed in',
    );
  });

program
  .command('whoami')
  .description('Show the signed-in account')
  .action(async (_opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const res = await session.expect('GET', '/users/profile', [200], 'whoami');
    o.print(
      { url: session.url, user: res.body },
      () => `${describeUser(res.body, o.s)}\n  server:  ${session.url}`,
    );
  });

// ---------------------------------------------------------------------------------------------
const auth = program.command('auth').description('Authentication settings and user management');

auth
  .command('status')
  .description('Show whether the server requires authentication, and who is signed in')
  .action(async (_opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    // Without a token: 401 when authentication is required, else the owner with a Warning header.
    const anon = await request(session.url, 'GET', '/users/profile');
    if (anon.status !== 401 && anon.status !== 200) throw apiError(anon, 'auth status');
    let required = anon.status === 401;
    let setting: { default?: boolean; updated_at?: string } = {};
    let signedInAs: string | null = null;
    if (session.identity) {
      const me = await session.call('GET', '/users/profile');
      if (me.status === 200) signedInAs = me.body.email;
      const s = await session.call('GET', '/settings/authentication');
      if (s.status === 200) {
        setting = s.body;
        required = s.body.required;
      }
    }
    o.print(
      {
        url: session.url,
        authentication_required: required,
        ...(setting.default !== undefined ? { default: setting.default } : {}),
        ...(setting.updated_at ? { updated_at: setting.updated_at } : {}),
        signed_in_as: signedInAs,
      },
      () =>
        [
          `server:         ${session.url}`,
          `authentication: ${required ? o.s.green('required') : o.s.red('DISABLED (requests without a token act as the owner)')}`,
          ...(setting.updated_at
            ? [
                `                (set ${setting.updated_at}; USHER_REQUIRE_AUTHENTICATION default: ${setting.default ? 'required' : 'disabled'})`,
              ]
            : []),
          `signed in as:   ${signedInAs ?? 'nobody'}`,
        ].join('\n'),
    );
  });

const switchAuth = async (cmd: Command, required: boolean) => {
  const o = io(cmd);
  const session = o.session();
  const res = await session.expect(
    'PUT',
    '/settings/authentication',
    [200],
    `auth ${required ? 'enable' : 'disable'}`,
    {
      required,
    },
  );
  o.print(res.body, () =>
    res.body.required
      ? `Authentication is ${o.s.green('required')}.`
      : `Authentication is ${o.s.red('DISABLED')}: requests without a token act as the owner.`,
  );
};

auth
  .command('enable')
  .description('Require authentication (owners)')
  .action((_opts: unknown, cmd: Command) => switchAuth(cmd, true));

auth
  .command('disable')
  .description(
    'Stop requiring authentication: anonymous requests act as the owner (owners; refused in production)',
  )
  .option('-y, --yes', 'do not ask for confirmation')
  .action(async (opts: { yes?: boolean }, cmd: Command) => {
    if (
      !opts.yes &&
      !(await confirm('Disable authentication? Anyone reaching the server acts as the owner.'))
    ) {
      throw new CliError('authentication stays required (confirm, or pass --yes)', EXIT.error, 'aborted');
    }
    await switchAuth(cmd, false);
  });

auth
  .command('add-user')
  .description('Invite a user by email (default), or create the account with a temporary password')
  .argument('<email>', "the new user's email")
  .addOption(new Option('--role <role>', 'the role').choices(ROLES).default('viewer'))
  .option('--password', 'create the account now with a temporary password (printed once) instead of inviting')
  .option('--username <name>', 'username with --password (default: from the email)')
  .option('--first-name <name>', 'first name with --password')
  .option('--last-name <name>', 'last name with --password')
  .action(
    async (
      email: string,
      opts: { role: string; password?: boolean; username?: string; firstName?: string; lastName?: string },
      cmd: Command,
    ) => {
      const o = io(cmd);
      const session = o.session();
      if (!opts.password) {
        const res = await session.expect('POST', '/users/invitations', [201], `inviting ${email}`, {
          email,
          role: opts.role,
        });
        o.print(
          { invitation: res.body },
          () =>
            `${o.s.green('Invited')} ${res.body.email} as ${res.body.role}; the invitation link is mailed ` +
            `(valid until ${res.body.expires_at}).`,
        );
        return;
      }
      const created = await session.expect('POST', '/users', [201], `creating ${email}`, {
        email,
        role: opts.role,
        first_name: opts.firstName,
        last_name: opts.lastName,
        credentials: { username: opts.username ?? usernameFor(email), secret: throwawaySecret() },
      });
      const temp = await session.expect(
        'POST',
        `/users/${created.body.id}/temporary-password`,
        [200],
        'setting the temporary password',
      );
      o.print({ user: created.body, temporary_password: temp.body.temporary_password }, () =>
        [
          `${o.s.green('Created')} ${created.body.email} (${created.body.credentials.username}) as ${created.body.role}.`,
          `Temporary password (shown once; it must be changed at the first sign-in):`,
          `  ${o.s.bold(temp.body.temporary_password)}`,
        ].join('\n'),
      );
    },
  );

auth
  .command('list-users')
  .description('List users as a table')
  .addOption(new Option('--status <status>', 'which accounts').choices(STATUSES).default('enabled'))
  .addOption(new Option('--role <role>', 'only this role').choices(ROLES))
  .option('--search <text>', 'case-insensitive substring of the email or the username')
  .option('--limit <n>', 'at most this many users', positiveInt('--limit'), 50)
  .action(async (opts: { status: string; role?: string; search?: string; limit: number }, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const fetchAll = async (filter: Record<string, string>) => {
      const users: ApiUser[] = [];
      let total = 0;
      for (let offset = 0; users.length < opts.limit;) {
        const q = new URLSearchParams({
          ...filter,
          status: opts.status,
          order: 'created_at',
          dir: 'asc',
          offset: String(offset),
          limit: String(Math.min(100, opts.limit - users.length)),
        });
        if (opts.role) q.set('role', opts.role);
        const res = await session.expect('GET', `/users?${q}`, [200], 'listing users');
        total = res.body.total;
        users.push(...res.body.users);
        offset += res.body.users.length;
        if (res.body.users.length === 0 || offset >= total) break;
      }
      return { users, total };
    };
    let users: ApiUser[];
    let total: number;
    if (opts.search) {
      const [byEmail, byName] = await Promise.all([
        fetchAll({ email: opts.search }),
        fetchAll({ username: opts.search }),
      ]);
      const seen = new Map<string, ApiUser>();
      for (const u of [...byEmail.users, ...byName.users]) seen.set(u.id, u);
      users = [...seen.values()].slice(0, opts.limit);
      total = Math.max(byEmail.total, byName.total, seen.size);
    } else {
      ({ users, total } = await fetchAll({}));
    }
    o.print({ total, users }, () =>
      users.length === 0
        ? 'No users.'
        : table(['EMAIL', 'USERNAME', 'ROLE', 'STATUS', 'CREATED'], users.map(userRow), o.s) +
          `\n${o.s.dim(`${users.length} shown${total > users.length ? ` of ${total}` : ''}`)}`,
    );
  });

auth
  .command('reset-password')
  .description("Replace a user's password with a temporary one (printed once; ends their sessions)")
  .argument('<email>')
  .action(async (email: string, _opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const user = await userByEmail(session, email);
    const res = await session.expect('POST', `/users/${user.id}/temporary-password`, [200], 'reset-password');
    o.print({ user_id: user.id, email: user.email, temporary_password: res.body.temporary_password }, () =>
      [
        `Temporary password for ${user.email} (shown once; it must be changed at the first sign-in):`,
        `  ${o.s.bold(res.body.temporary_password)}`,
      ].join('\n'),
    );
  });

auth
  .command('change-role')
  .description("Change a user's role (ends their sessions)")
  .argument('<email>')
  .argument('<role>', ROLES.join('|'))
  .action(async (email: string, role: string, _opts: unknown, cmd: Command) => {
    const o = io(cmd);
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new CliError(`role must be one of ${ROLES.join(', ')}`, EXIT.usage, 'usage');
    }
    const session = o.session();
    const user = await userByEmail(session, email);
    const res = await session.expect('PATCH', `/users/${user.id}/role`, [200], 'change-role', { role });
    o.print(res.body, () => `${user.email}: ${user.role} → ${o.s.bold(res.body.role)}`);
  });

const statusCommand = (name: string, path: 'enable' | 'disable', description: string, done: string) =>
  auth
    .command(name)
    .description(description)
    .argument('<email>')
    .action(async (email: string, _opts: unknown, cmd: Command) => {
      const o = io(cmd);
      const session = o.session();
      const user = await userByEmail(session, email);
      const res = await session.expect('POST', `/users/${user.id}/${path}`, [200], name);
      o.print(res.body, () => `${user.email} ${done} (status: ${res.body.status})`);
    });
statusCommand(
  'deactivate-user',
  'disable',
  'Disable an account (ends its sessions and API keys)',
  'deactivated',
);
statusCommand('reactivate-user', 'enable', 'Enable a disabled account', 'reactivated');

auth
  .command('delete-user')
  .description(
    'Delete an account (soft delete: purged after USHER_USERS_DELETE_AFTER, or now with --purge); asks first',
  )
  .argument('<email>')
  .option('-y, --yes', 'do not ask for confirmation')
  .option('--purge', 'delete permanently now (the account and its links are gone for good)')
  .action(async (email: string, opts: { yes?: boolean; purge?: boolean }, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const user = await userByEmail(session, email);
    const what = opts.purge ? 'Permanently delete' : 'Delete';
    if (!opts.yes && !(await confirm(`${what} ${user.email} (${user.role})?`))) {
      throw new CliError('not deleted (confirm, or pass --yes)', EXIT.error, 'aborted');
    }
    await session.expect(
      'DELETE',
      `/users/${user.id}${opts.purge ? '?purge=true' : ''}`,
      [204],
      'delete-user',
    );
    o.print(
      { id: user.id, email: user.email, deleted: true, purged: !!opts.purge },
      () => `${user.email} ${opts.purge ? 'permanently deleted' : 'deleted'}`,
    );
  });

auth
  .command('unlock')
  .description('Lift a sign-in lockout')
  .argument('<email>')
  .action(async (email: string, _opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const user = await userByEmail(session, email);
    await session.expect('POST', `/users/${user.id}/unlock`, [204], 'unlock');
    o.print({ id: user.id, email: user.email, unlocked: true }, () => `${user.email} unlocked`);
  });

auth
  .command('sessions')
  .description("List a user's live sessions")
  .argument('<email>')
  .action(async (email: string, _opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const user = await userByEmail(session, email);
    const res = await session.expect('GET', `/users/${user.id}/sessions`, [200], 'sessions');
    const sessions = res.body.sessions as Record<string, string>[];
    const t = (v: string | undefined) => String(v).slice(0, 19).replace('T', ' ');
    o.print(res.body, () =>
      sessions.length === 0
        ? `${user.email} has no live sessions.`
        : table(
            ['ID', 'METHOD', 'IP', 'CREATED', 'LAST USED', 'EXPIRES', 'USER AGENT'],
            sessions.map((x) =>
              [x.id, x.method, x.ip, t(x.created_at), t(x.last_used_at), t(x.expires_at), x.user_agent].map(
                (v) => v ?? '',
              ),
            ),
            o.s,
          ),
    );
  });

auth
  .command('revoke-sessions')
  .description('End every session of a user (API keys stay valid)')
  .argument('<email>')
  .action(async (email: string, _opts: unknown, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const user = await userByEmail(session, email);
    await session.expect('DELETE', `/users/${user.id}/sessions`, [204], 'revoke-sessions');
    o.print(
      { id: user.id, email: user.email, sessions_revoked: true },
      () => `Every session of ${user.email} ended`,
    );
  });

auth
  .command('audit')
  .description('Read the audit log, newest first')
  .option('--since <YYYY-MM-DD>', 'only events on or after this date (or ISO date-time)')
  .option('--type <type>', 'only events of this type (e.g. signin_failed, role_changed)')
  .option('--user <email>', 'only events where this user acted or was acted on')
  .option('--limit <n>', 'at most this many events', positiveInt('--limit'), 50)
  .action(async (opts: { since?: string; type?: string; user?: string; limit: number }, cmd: Command) => {
    const o = io(cmd);
    if (opts.since && Number.isNaN(Date.parse(opts.since))) {
      throw new CliError(`--since: not a date: ${opts.since}`, EXIT.usage, 'usage');
    }
    const session = o.session();
    const base = new URLSearchParams();
    if (opts.since) base.set('since', opts.since);
    if (opts.type) base.set('type', opts.type);
    if (opts.user) base.set('user_id', (await userByEmail(session, opts.user)).id);
    const events: Record<string, unknown>[] = [];
    let total = 0;
    while (events.length < opts.limit) {
      const q = new URLSearchParams(base);
      q.set('offset', String(events.length));
      q.set('limit', String(Math.min(100, opts.limit - events.length)));
      const res = await session.expect('GET', `/audit?${q}`, [200], 'audit');
      total = res.body.total;
      events.push(...res.body.events);
      if (res.body.events.length === 0 || events.length >= total) break;
    }
    o.print({ total, events }, () =>
      events.length === 0
        ? 'No events.'
        : table(
            ['TIME', 'TYPE', 'OUTCOME', 'ACTOR', 'TARGET', 'IP'],
            events.map((e) => [
              String(e.occurred_at).slice(0, 19).replace('T', ' '),
              String(e.type),
              e.outcome === 'failure' ? o.s.red('failure') : String(e.outcome),
              String(e.actor_id ?? '-'),
              String(e.target_id ?? '-'),
              String(e.ip || '-'),
            ]),
            o.s,
          ) + `\n${o.s.dim(`${events.length} shown${total > events.length ? ` of ${total}` : ''}`)}`,
    );
  });

auth
  .command('recover')
  .description(
    'Create a recovery owner directly in the users database (USHER_DB_URL or USHER_USERS_DB_*), ' +
      'with a temporary password printed once',
  )
  .option('--email <email>', "the recovery owner's email (default: recovery-<time>@usher.invalid)")
  .option('--username <name>', 'its username (default: recovery-<time>)')
  .action(async (opts: { email?: string; username?: string }, cmd: Command) => {
    const o = io(cmd);
    const r = await recoverOwner(opts);
    o.print(r, () =>
      [
        `${o.s.green('Recovery owner created')}: ${r.email} (username ${r.username}, id ${r.id})`,
        `Temporary password (shown once; the first sign-in may only change it):`,
        `  ${o.s.bold(r.temporary_password)}`,
        `Sign in, change it, then disable or delete this account once a real owner is back.`,
      ].join('\n'),
    );
  });

// ---------------------------------------------------------------------------------------------
const EXPORT_FIELDS = [
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
] as const;

function exportRecord(u: ApiUser): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email,
    username: u.credentials?.username,
    first_name: u.first_name,
    last_name: u.last_name,
    role: u.role,
    status: u.status,
    tags: u.tags,
    metadata: u.metadata,
    picture: u.picture,
    verified_at: u.verified_at ?? null,
    created_at: u.created_at,
    updated_at: u.updated_at ?? null,
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

program
  .command('export')
  .description('Write every user (without secrets) to stdout, or --output FILE')
  .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
  .addOption(new Option('--status <status>', 'which accounts').choices(STATUSES).default('all'))
  .option('-o, --output <file>', 'write to this file instead of stdout')
  .action(async (opts: { format: string; status: string; output?: string }, cmd: Command) => {
    const o = io(cmd);
    const session = o.session();
    const out = opts.output ? fs.createWriteStream(opts.output, { mode: 0o600 }) : process.stdout;
    const write = (line: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.write(line + '\n')) resolve();
        else out.once('drain', resolve).once('error', reject);
      });
    if (opts.format === 'csv') await write(EXPORT_FIELDS.join(','));
    let count = 0;
    for (let offset = 0; ;) {
      const q = new URLSearchParams({
        status: opts.status,
        order: 'created_at',
        dir: 'asc',
        offset: String(offset),
        limit: '100',
      });
      const res: ApiAnswer = await session.expect('GET', `/users?${q}`, [200], 'export');
      for (const u of res.body.users as ApiUser[]) {
        const r = exportRecord(u);
        await write(
          opts.format === 'csv' ? EXPORT_FIELDS.map((f) => csvCell(r[f])).join(',') : JSON.stringify(r),
        );
        count++;
      }
      offset += res.body.users.length;
      if (res.body.users.length === 0 || offset >= res.body.total) break;
    }
    if (opts.output) {
      await new Promise<void>((resolve, reject) =>
        (out as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      process.stderr.write(`${count} users written to ${opts.output}\n`);
    }
  });

program
  .command('import')
  .description(
    'Import users from FILE.ndjson or FILE.csv (owners): existing bcrypt hashes are kept (secret_hash), ' +
      'plain passwords (secret) are hashed; bad lines are reported and skipped',
  )
  .argument('<file>', '.ndjson/.jsonl (one JSON object a line) or .csv with a header row')
  .option('--dry-run', 'check every line (also against existing accounts) and write nothing')
  .option('--batch-size <n>', 'users per request (at most 1000)', positiveInt('--batch-size'), 500)
  .addHelpText(
    'after',
    `
Fields: email (required), username (default: from the email), first_name, last_name,
role (viewer|editor|admin|owner), status (enabled|disabled), tags (CSV: a;b or a JSON array),
metadata (JSON), verified (true|false), and exactly one of secret_hash ($2a$/$2b$/$2y$ bcrypt)
or secret (alias password). Exit code 1 when any line was skipped.`,
  )
  .action(async (file: string, opts: { dryRun?: boolean; batchSize: number }, cmd: Command) => {
    const o = io(cmd);
    if (opts.batchSize > 1000) throw new CliError('--batch-size: at most 1000', EXIT.usage, 'usage');
    const session = o.session();
    const bar = process.stderr.isTTY && !o.json ? progressBar(Math.max(1, lineCount(file))) : null;
    const summary = await importFile(
      session,
      file,
      { dryRun: Boolean(opts.dryRun), batchSize: opts.batchSize },
      {
        bad: (b) => {
          if (o.json) return;
          bar?.clear();
          process.stderr.write(`${o.s.yellow(`line ${b.line}`)}: ${b.reason}\n`);
        },
        progress: (done) => bar?.update(done),
      },
    );
    bar?.clear();
    o.print(summary, () =>
      [
        `${summary.dry_run ? 'Dry run: ' : ''}${summary.lines} lines read in ${summary.seconds.toFixed(1)}s`,
        summary.dry_run
          ? `  ${o.s.green(`${summary.valid} would be created`)}`
          : `  ${o.s.green(`${summary.created} created`)} (${summary.users_per_second} users/s)`,
        `  ${summary.skipped ? o.s.yellow(`${summary.skipped} skipped`) : '0 skipped'}`,
      ].join('\n'),
    );
    if (summary.skipped) process.exitCode = EXIT.error;
  });

// ---------------------------------------------------------------------------------------------
function fail(error: unknown): never {
  const json = process.argv.includes('--json');
  if (error instanceof CliError) {
    if (json) process.stdout.write(JSON.stringify({ error: error.code, message: error.message }) + '\n');
    process.stderr.write(`usher: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`usher: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(EXIT.error);
}

async function main() {
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  for (const c of auth.commands) c.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        process.exit(EXIT.ok);
      }
      // The message is already on stderr.
      process.exit(EXIT.usage);
    }
    fail(error);
  }
}

void main();
