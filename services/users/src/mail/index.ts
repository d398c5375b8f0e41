import type { UsersConfig } from '@usher/config';
import type { Logger } from '@usher/telemetry';
import type { AuditLog } from '../ports';
import { PostgresEmailTokens } from '../postgres/email-token-repository';
import { PostgresMailQueue } from '../postgres/mail-queue';
import type { Transactor } from '../postgres/tx';
import { startMailSender, type MailSender } from './sender';
import { FileMailTemplates } from './templates';
import { createMailTransport } from './transport';

const DAY = 86_400_000;

export interface MailSetup {
  queue: PostgresMailQueue;
  tokens: PostgresEmailTokens;
  templates: FileMailTemplates;
  sender: MailSender;
}

/** Templates (checked now: a broken one stops the start), queue, tokens, transport and the sender loop. */
export async function startMail(
  config: UsersConfig,
  deps: { tx: Transactor; audit: AuditLog; logger: Logger },
): Promise<MailSetup> {
  const templates = FileMailTemplates.load(config.email.templates);
  const queue = new PostgresMailQueue(deps.tx);
  const tokens = new PostgresEmailTokens(deps.tx);
  const transport = await createMailTransport(config.email, config.production, deps.logger);
  const sender = startMailSender(
    { store: queue, transport, log: deps.audit, logger: deps.logger },
    {
      retry: config.email.retry,
      pollMs: Math.min(1000, config.email.retry.baseMs),
      housekeeping: async () => {
        await queue.prune(7 * DAY);
        await tokens.prune(DAY);
      },
    },
  );
  queue.setWaker(() => sender.wake());
  return { queue, tokens, templates, sender };
}
