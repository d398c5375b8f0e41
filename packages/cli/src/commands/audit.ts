import { Command } from 'commander';
import { CliError, EXIT, table } from '../output';
import { io, positiveInt, userByEmail } from './shared';

/** auth audit. */
export function registerAuditCommand(auth: Command): void {
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
}
