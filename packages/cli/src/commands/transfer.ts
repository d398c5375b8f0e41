import fs from 'fs';
import { Command, Option } from 'commander';
import { type ApiAnswer } from '../client';
import { CliError, EXIT } from '../output';
import { importFile, lineCount, progressBar } from '../import';
import { io, positiveInt, STATUSES, type ApiUser } from './shared';

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
    picture: u.profile_picture ?? u.picture,
    verified_at: u.verified_at ?? null,
    created_at: u.created_at,
    updated_at: u.updated_at ?? null,
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** export, import. */
export function registerTransferCommands(program: Command): void {
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
}
