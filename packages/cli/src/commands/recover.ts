import { Command } from 'commander';
import { recoverOwner } from '../recover';
import { io } from './shared';

/** auth recover. */
export function registerRecoverCommand(auth: Command): void {
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
}
