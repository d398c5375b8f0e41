import { randomBytes } from 'crypto';
import { Command, Option } from 'commander';
import { CliError, EXIT, table } from '../output';
import { confirm } from '../prompt';
import { io, positiveInt, ROLES, STATUSES, userByEmail, type ApiUser } from './shared';

const userRow = (u: ApiUser) => [
  u.email,
  u.credentials?.username ?? '',
  u.role,
  u.status,
  String(u.created_at ?? '')
    .slice(0, 19)
    .replace('T', ' '),
];

/** A password the server immediately replaces (POST /users needs one); never shown or kept. */
const throwawaySecret = () => randomBytes(24).toString('base64url');

function usernameFor(email: string): string {
  let name = (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (name.length < 3) name = `${name}-user`.replace(/^-/, 'u');
  return name.slice(0, 64);
}

/** auth add-user, list-users, reset-password, change-role, deactivate-user, reactivate-user,
 * delete-user, unlock, sessions, revoke-sessions. */
export function registerUserCommands(auth: Command): void {
  auth
    .command('add-user')
    .description('Invite a user by email (default), or create the account with a temporary password')
    .argument('<email>', "the new user's email")
    .addOption(new Option('--role <role>', 'the role').choices(ROLES).default('viewer'))
    .option(
      '--password',
      'create the account now with a temporary password (printed once) instead of inviting',
    )
    .option(
      '--show-link',
      'for teams without mail: mail nothing and print the invitation link, this once, to hand over yourself',
    )
    .option('--username <name>', 'username with --password (default: from the email)')
    .option('--first-name <name>', 'first name with --password')
    .option('--last-name <name>', 'last name with --password')
    .action(
      async (
        email: string,
        opts: {
          role: string;
          password?: boolean;
          showLink?: boolean;
          username?: string;
          firstName?: string;
          lastName?: string;
        },
        cmd: Command,
      ) => {
        const o = io(cmd);
        const session = o.session();
        if (!opts.password) {
          const res = await session.expect('POST', '/users/invitations', [201], `inviting ${email}`, {
            email,
            role: opts.role,
            delivery: opts.showLink ? 'link' : 'email',
          });
          if (opts.showLink) {
            o.print(
              { invitation: res.body },
              () =>
                `${o.s.green('Invited')} ${res.body.email} as ${res.body.role}. Hand them this link, shown only ` +
                `this once (single use, valid until ${res.body.expires_at}):\n${res.body.link}`,
            );
            return;
          }
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
      const res = await session.expect(
        'POST',
        `/users/${user.id}/temporary-password`,
        [200],
        'reset-password',
      );
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
}
