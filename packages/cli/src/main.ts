#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './output';
import { registerAuditCommand } from './commands/audit';
import { registerAuthSettingsCommands } from './commands/auth-settings';
import { registerRecoverCommand } from './commands/recover';
import { registerSessionCommands } from './commands/session';
import { registerTransferCommands } from './commands/transfer';
import { registerUserCommands } from './commands/users';

const program = new Command();

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

// Registered in this order: it is the order of the commands in --help.
registerSessionCommands(program);

// ---------------------------------------------------------------------------------------------
const auth = program.command('auth').description('Authentication settings and user management');
registerAuthSettingsCommands(auth);
registerUserCommands(auth);
registerAuditCommand(auth);
registerRecoverCommand(auth);

// ---------------------------------------------------------------------------------------------
registerTransferCommands(program);

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
