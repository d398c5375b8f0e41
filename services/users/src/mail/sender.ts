import type { Logger } from '@usher/telemetry';
import { audit } from '../domain/audit';
import type { AuditLog } from '../ports';
import type { ClaimedMail } from '../postgres/mail-queue';
import type { Ctx } from '../service';
import type { MailTransport } from './transport';

/** The queue as the sender sees it (postgres/mail-queue.ts). */
export interface MailStore {
  claim(limit: number, leaseMs: number): Promise<ClaimedMail[]>;
  markSent(id: string): Promise<void>;
  retryLater(id: string, delayMs: number, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
}

export interface SenderOptions {
  /** Exponential backoff: the wait after the first failure, doubling up to maxMs. */
  retry: { baseMs: number; maxMs: number };
  /** How often the queue is polled besides the nudges after commits (due retries, other replicas' rows). */
  pollMs: number;
  /** How long a claimed mail is ours before another sender may take it. */
  leaseMs?: number;
  batch?: number;
  /** Periodic cleanup of old rows, run every `housekeepingMs`. */
  housekeeping?: () => Promise<void>;
  housekeepingMs?: number;
}

/** The sender acts as nobody: its audit entries have no actor. */
const SENDER_CTX: Ctx = { caller: null, client: { userAgent: 'usher-mailer', ip: '' } };

/** base * 2^(attempt-1), at most max, with ±20% jitter so replicas do not retry in step. */
export function backoffMs(attempt: number, retry: { baseMs: number; maxMs: number }, random = Math.random) {
  const plain = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/** SMTP replies can be long; what is kept and audited is one short line (it never holds the link). */
const describe = (error: unknown) => {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const text = (e.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return [e.code, e.responseCode, text].filter(Boolean).join(' ');
};

export interface MailSender {
  /** Look at the queue now (after a commit that queued mail). */
  wake(): void;
  /** Stops polling and waits for the delivery in progress. */
  stop(): Promise<void>;
}

/**
 * Delivers queued mail after the commits that queued it: claims due rows, sends them, records the
 * outcome. A failure waits with exponential backoff and is tried again until the link expires;
 * nothing here ever runs inside an HTTP request.
 */
export function startMailSender(
  deps: { store: MailStore; transport: MailTransport; log: AuditLog; logger: Logger },
  options: SenderOptions,
): MailSender {
  const { store, transport, log, logger } = deps;
  const leaseMs = options.leaseMs ?? 120_000;
  const batch = options.batch ?? 10;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const deliver = async (mail: ClaimedMail) => {
    const base = { mail_id: mail.id, kind: mail.kind, attempt: mail.attempts, transport: transport.mode };
    if (mail.expiresAt.getTime() <= Date.now()) {
      await store.markFailed(mail.id, 'the link expired before the mail could be delivered');
      await audit(
        log,
        SENDER_CTX,
        'mail_failed',
        mail.userId,
        { ...base, will_retry: false, error: 'expired' },
        'failure',
      );
      logger.warn(base, 'mail abandoned: its link expired before delivery');
      return;
    }
    try {
      await transport.send(mail);
    } catch (error) {
      const reason = describe(error);
      const delay = backoffMs(mail.attempts, options.retry);
      const willRetry = Date.now() + delay < mail.expiresAt.getTime();
      if (willRetry) await store.retryLater(mail.id, delay, reason);
      else await store.markFailed(mail.id, reason);
      await audit(
        log,
        SENDER_CTX,
        'mail_failed',
        mail.userId,
        { ...base, will_retry: willRetry, ...(willRetry ? { retry_in_ms: delay } : {}), error: reason },
        'failure',
      );
      logger.warn(
        { ...base, will_retry: willRetry, retry_in_ms: delay, error: reason },
        'mail delivery failed',
      );
      return;
    }
    await store.markSent(mail.id);
    await audit(log, SENDER_CTX, 'mail_sent', mail.userId, base);
    logger.info(base, 'mail sent');
  };

  const drain = async () => {
    do {
      again = false;
      for (;;) {
        const claimed = await store.claim(batch, leaseMs);
        for (const mail of claimed) {
          await deliver(mail).catch((error) =>
            logger.error(
              { err: error, mail_id: mail.id },
              'mail bookkeeping failed; the mail is retried after its lease',
            ),
          );
        }
        if (claimed.length < batch || stopped) break;
      }
    } while (again && !stopped);
  };

  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error) => logger.error({ err: error }, 'mail queue unavailable; retrying at the next poll'))
      .finally(() => {
        running = null;
      });
  };

  const poll = setInterval(kick, Math.max(20, options.pollMs));
  poll.unref();
  let lastHousekeeping = 0;
  const tidy = setInterval(() => {
    if (!options.housekeeping || Date.now() - lastHousekeeping < (options.housekeepingMs ?? 3_600_000))
      return;
    lastHousekeeping = Date.now();
    options.housekeeping().catch((error) => logger.warn({ err: error }, 'mail housekeeping failed'));
  }, 60_000);
  tidy.unref();
  kick();

  return {
    wake: () => setImmediate(kick),
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(tidy);
      await running;
      transport.close();
    },
  };
}
