import { createHash, randomBytes, randomUUID } from 'crypto';
import type { EmailTokenPurpose, EmailTokenStore, MailKind, MailQueue, MailTemplates } from '../ports';

export interface LinkSettings {
  /** Where the link points; the token is added as the `token` query parameter. */
  urlPrefix: string;
  ttlMs: number;
}

export type LinksOptions = Record<'passwordReset' | 'verification' | 'invitation', LinkSettings>;

const SETTINGS_OF: Record<EmailTokenPurpose, keyof LinksOptions> = {
  password_reset: 'passwordReset',
  verification: 'verification',
  invitation: 'invitation',
};

/** 32 random bytes, base64url: what a link carries. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Tokens are stored and looked up by their SHA-256 only. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** `prefix?token=...`, keeping any query the prefix already has. */
export function linkWith(prefix: string, token: string): string {
  const url = new URL(prefix);
  url.searchParams.set('token', token);
  return url.toString();
}

/** "5 minutes", "72 hours": for the mail text. */
export function humanDuration(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ];
  for (const [unit, size] of units) {
    // 72h reads better as hours than as 3 days; whole days from 7 on.
    if (unit === 'day' && ms < 7 * size) continue;
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

export interface LinkTarget {
  email: string;
  userId: string | null;
  invitationId: string | null;
}

/**
 * Makes a single-use token, stores its hash and queues the mail carrying the link, all in the
 * surrounding unit of work: the mail leaves only if the change commits.
 */
export class LinkMailer {
  constructor(
    private readonly tokens: EmailTokenStore,
    private readonly queue: MailQueue,
    private readonly templates: MailTemplates,
    private readonly links: LinksOptions,
  ) {}

  settings(purpose: EmailTokenPurpose): LinkSettings {
    return this.links[SETTINGS_OF[purpose]];
  }

  /**
   * Makes and stores a single-use token and returns its link without mailing it: the caller hands
   * it over once (an invitation for a team without mail). The link is never stored or logged.
   */
  async issue(purpose: EmailTokenPurpose, to: LinkTarget, expiresAt?: Date): Promise<string> {
    const { urlPrefix, ttlMs } = this.settings(purpose);
    const token = newToken();
    const createdAt = new Date();
    await this.tokens.create({
      id: randomUUID(),
      purpose,
      tokenHash: hashToken(token),
      userId: to.userId,
      invitationId: to.invitationId,
      email: to.email,
      createdAt,
      expiresAt: expiresAt ?? new Date(createdAt.getTime() + ttlMs),
    });
    return linkWith(urlPrefix, token);
  }

  async mail(
    purpose: EmailTokenPurpose & MailKind,
    to: LinkTarget,
    vars: Record<string, string>,
    /** Defaults to now + the purpose's lifetime. */
    expiresAt?: Date,
  ): Promise<{ expiresAt: Date }> {
    const { ttlMs } = this.settings(purpose);
    expiresAt ??= new Date(Date.now() + ttlMs);
    const link = await this.issue(purpose, to, expiresAt);
    const rendered = this.templates.render(purpose, {
      ...vars,
      email: to.email,
      link,
      expires_in: humanDuration(ttlMs),
    });
    await this.queue.enqueue({
      ...rendered,
      kind: purpose,
      to: to.email,
      userId: to.userId,
      link,
      expiresAt,
    });
    return { expiresAt };
  }

  /** Spends the token if it is live and meant for `purpose`. */
  consume(purpose: EmailTokenPurpose, token: string) {
    return this.tokens.consume(purpose, hashToken(token));
  }

  spendAll(purpose: EmailTokenPurpose, userId: string): Promise<void> {
    return this.tokens.spendAll(purpose, userId);
  }

  wake(): void {
    this.queue.wake();
  }
}
