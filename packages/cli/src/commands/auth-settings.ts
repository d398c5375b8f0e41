import { Command } from 'commander';
import { apiError, request } from '../client';
import { CliError, EXIT } from '../output';
import { confirm } from '../prompt';
import { io } from './shared';

/** auth status, auth enable, auth disable. */
export function registerAuthSettingsCommands(auth: Command): void {
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
}
