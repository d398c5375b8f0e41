import { randomUUID } from 'crypto';
import type { MailQueue, OutgoingMail, QueuedMailKind } from '../ports';
import type { Transactor } from './tx';

/** A queued mail taken by one sender for one delivery attempt. */
export interface ClaimedMail {
  id: string;
  kind: QueuedMailKind;
  to: string;
  userId: string | null;
  subject: string;
  text: string;
  html: string;
  link: string;
  expiresAt: Date;
  /** Including this one. */
  attempts: number;
}

interface MailRow {
  id: string;
  kind: QueuedMailKind;
  recipient: string;
  user_id: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  link: string;
  expires_at: Date;
  attempts: number;
}

/**
 * The mail outbox in PostgreSQL. Rows are written in the transaction of the change they report and
 * survive restarts; senders on every replica claim due rows with FOR UPDATE SKIP LOCKED, so each
 * attempt is made by one of them. A delivered or abandoned mail keeps no body: the link is gone.
 */
export class PostgresMailQueue implements MailQueue {
  private onWake: () => void = () => undefined;

  constructor(private readonly tx: Transactor) {}

  /** The sender to nudge when a mail was queued. */
  setWaker(fn: () => void): void {
    this.onWake = fn;
  }

  async enqueue(mail: OutgoingMail): Promise<void> {
    await this.tx.manager().query(
      `insert into mail_queue (id, kind, recipient, user_id, subject, text_body, html_body, link, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        randomUUID(),
        mail.kind,
        mail.to,
        mail.userId,
        mail.subject,
        mail.text,
        mail.html,
        mail.link,
        mail.expiresAt,
      ],
    );
  }

  wake(): void {
    this.onWake();
  }

  /** Takes up to `limit` due mails for `leaseMs`; a sender that dies mid-way leaves them to another after that. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const [rows] = (await this.tx.manager().query(
      `update mail_queue m
          set attempts = m.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
        where m.id in (
          select id from mail_queue
           where sent_at is null and failed_at is null and next_attempt_at <= now()
           order by next_attempt_at
           limit $1
           for update skip locked)
        returning m.id, m.kind, m.recipient, m.user_id, m.subject, m.text_body, m.html_body, m.link,
                  m.expires_at, m.attempts`,
      [limit, leaseMs],
    )) as [MailRow[], number];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.recipient,
      userId: r.user_id,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      link: r.link,
      expiresAt: r.expires_at,
      attempts: r.attempts,
    }));
  }

  async markSent(id: string): Promise<void> {
    await this.tx
      .manager()
      .query(
        `update mail_queue set sent_at = now(), last_error = null, text_body = '', html_body = '', link = '' where id = $1`,
        [id],
      );
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.tx
      .manager()
      .query(
        `update mail_queue set next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3 where id = $1`,
        [id, delayMs, error.slice(0, 1000)],
      );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.tx
      .manager()
      .query(
        `update mail_queue set failed_at = now(), last_error = $2, text_body = '', html_body = '', link = '' where id = $1`,
        [id, error.slice(0, 1000)],
      );
  }

  /** Housekeeping: forgets mails delivered or abandoned more than `olderThanMs` ago. */
  async prune(olderThanMs: number): Promise<number> {
    const [, affected] = (await this.tx.manager().query(
      `delete from mail_queue
        where coalesce(sent_at, failed_at) < now() - $1 * interval '1 millisecond'`,
      [olderThanMs],
    )) as [unknown, number];
    return affected ?? 0;
  }
}
