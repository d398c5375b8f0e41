import fs from 'fs/promises';
import net from 'net';
import path from 'path';
import nodemailer from 'nodemailer';
import type { EmailConfig } from '@usher/config';
import type { Logger } from '@usher/telemetry';
import type { ClaimedMail } from '../postgres/mail-queue';

/** Delivers one mail or throws; the sender decides about retries. */
export interface MailTransport {
  /** 'smtp', or 'files': the development fallback writing `.eml` files. */
  readonly mode: 'smtp' | 'files';
  send(mail: ClaimedMail): Promise<void>;
  close(): void;
}

const fromOf = (email: EmailConfig) => ({
  name: email.fromName || 'Usher',
  address: email.fromAddress || 'usher@localhost',
});

const message = (email: EmailConfig, mail: ClaimedMail) => ({
  from: fromOf(email),
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  // Mails are built from our templates only: nothing may pull in files or URLs.
  disableFileAccess: true,
  disableUrlAccess: true,
});

/** SMTP through nodemailer, with timeouts well under the sender's claim lease. */
export class SmtpTransport implements MailTransport {
  readonly mode = 'smtp';
  private readonly transporter;

  constructor(private readonly email: EmailConfig) {
    this.transporter = nodemailer.createTransport({
      host: email.host,
      port: email.port,
      // Implicit TLS on 465; elsewhere STARTTLS whenever the server offers it.
      secure: email.port === 465,
      auth: email.username ? { user: email.username, pass: email.password } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(mail: ClaimedMail): Promise<void> {
    await this.transporter.sendMail(message(this.email, mail));
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * The development fallback: no mail server was configured and none answers on localhost:25, so
 * each mail is written to `<devDir>/<time>-<kind>-<id>.eml` and its link logged at info level.
 * This is the one place a link is ever logged.
 */
export class FileTransport implements MailTransport {
  readonly mode = 'files';
  private readonly composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(
    private readonly email: EmailConfig,
    private readonly logger: Logger,
  ) {}

  async send(mail: ClaimedMail): Promise<void> {
    const info = await this.composer.sendMail(message(this.email, mail));
    await fs.mkdir(this.email.devDir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.resolve(this.email.devDir, `${stamp}-${mail.kind}-${mail.id}.eml`);
    await fs.writeFile(file, info.message as Buffer, { mode: 0o600 });
    this.logger.info(
      { development_fallback: true, mail_id: mail.id, kind: mail.kind, to: mail.to, file, link: mail.link },
      'development fallback (no mail server configured): mail written to a file instead of sent',
    );
  }

  close(): void {
    this.composer.close();
  }
}

const answers = (host: string, port: number, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/**
 * SMTP when a mail server is configured (USHER_EMAIL_HOST or _PORT set) or answers on the default
 * localhost:25; otherwise, outside production, the file fallback. In production mail always goes
 * to SMTP: undeliverable mail waits in the queue rather than landing in a container's files.
 */
export async function createMailTransport(
  email: EmailConfig,
  production: boolean,
  logger: Logger,
): Promise<MailTransport> {
  if (email.configured || production || (await answers(email.host, email.port, 500))) {
    if (!email.configured && production)
      logger.warn(
        { host: email.host, port: email.port },
        'USHER_EMAIL_HOST is not set: mail goes to localhost:25 and waits in the queue while nothing answers there',
      );
    return new SmtpTransport(email);
  }
  logger.warn(
    { dir: path.resolve(email.devDir) },
    'no mail server configured (USHER_EMAIL_HOST): development fallback, mails are written as .eml files and their links logged',
  );
  return new FileTransport(email, logger);
}
