import { Command } from 'commander';
import { apiError, request, resolveUrl } from '../client';
import { credentialsPath, deleteCredentials, readCredentials, writeCredentials } from '../credentials';
import { CliError, EXIT, type Style } from '../output';
import { ask, nextStdinLine, stdinIsTTY } from '../prompt';
import { io, type ApiUser } from './shared';

function describeUser(u: ApiUser, s: Style): string {
  return [
    `${s.bold(u.email)} (${u.credentials?.username ?? ''})`,
    `  id:      ${u.id}`,
    `  role:    ${u.role}`,
    `  status:  ${u.status}`,
    `  created: ${u.created_at}`,
  ].join('\n');
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

/** login, logout, whoami. */
export function registerSessionCommands(program: Command): void {
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
}
