import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort, waitFor } from '@usher/testkit';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/**
 * A real SMTP server on a loopback port (smtp-server), parsing each mail with mailparser. It can be
 * stopped and started again on the same port to play an outage.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.start();
    return sink;
  }

  /** Settings that send the users service's mail here, with quick retries. */
  env(): Record<string, string> {
    return {
      USHER_EMAIL_HOST: '127.0.0.1',
      USHER_EMAIL_PORT: String(this.port),
      USHER_EMAIL_FROM_ADDRESS: 'usher@example.com',
      USHER_EMAIL_FROM_NAME: 'Usher Test',
      USHER_EMAIL_RETRY_INTERVAL: '100ms',
      USHER_EMAIL_RETRY_MAX_INTERVAL: '400ms',
    };
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (m) => {
              const to = [m.to ?? []]
                .flat()
                .flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
              this.mails.push({
                to,
                from: m.from?.value[0]?.address ?? '',
                subject: m.subject ?? '',
                text: m.text ?? '',
                html: typeof m.html === 'string' ? m.html : '',
                raw: raw.toString('utf8'),
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Mails received for an address so far. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The `n`th mail (counting from 1) for an address, once it arrived. */
  waitFor(address: string, n = 1, timeoutMs = 10_000): Promise<ReceivedMail> {
    return until(async () => this.to(address)[n - 1], timeoutMs);
  }
}

/** The link a mail carries (the same in its text and HTML parts). */
export function linkOf(mail: ReceivedMail): URL {
  const m = /https?:\/\/[^\s<>"]+[?&]token=[A-Za-z0-9_-]+/.exec(mail.text);
  if (!m) throw new Error(`no link in mail "${mail.subject}":\n${mail.text}`);
  return new URL(m[0]);
}

export const tokenOf = (mail: ReceivedMail) => linkOf(mail).searchParams.get('token')!;

/** waitFor, typed for checks that answer a value once it is there (and a falsy one before). */
export const until = <T>(
  check: () => Promise<T | false | null | undefined>,
  timeoutMs = 10_000,
): Promise<T> => waitFor(check, timeoutMs, 25) as Promise<T>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
