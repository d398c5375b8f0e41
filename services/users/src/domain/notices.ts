import type { MailQueue, RenderedMail } from '../ports';
import type { User } from '../service';
import { escapeHtml } from '../mail/templates';

/** A notice that is still worth sending this long after the change it reports. */
const NOTICE_TTL_MS = 7 * 24 * 3_600_000;

/** How a password was changed, in the owner's words. */
export type PasswordChange = 'reset' | 'temporary' | 'admin' | 'self';

const PASSWORD_HOW: Record<PasswordChange, string> = {
  reset: 'through a password reset link mailed to this address',
  temporary: 'by an administrator, who set a temporary password',
  admin: 'by an administrator',
  self: 'by you, while signed in',
};

const greeting = (u: User) => [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username;

function render(subject: string, lines: string[]): RenderedMail {
  return {
    subject,
    text: lines.join('\n\n') + '\n',
    html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n') + '\n',
  };
}

/**
 * Mails the account owner about a change to how the account is signed in to: a changed password
 * (to the account's address) and a changed address (to the old one). Never the password, never a
 * link; queued in the surrounding transaction, so a notice leaves only if the change commits.
 */
export class SecurityNotices {
  constructor(private readonly queue: MailQueue) {}

  async passwordChanged(user: User, how: PasswordChange): Promise<void> {
    await this.send(
      user.email,
      user.id,
      render('Your password was changed', [
        `Hello ${greeting(user)},`,
        `the password of your account (${user.username}) was changed ${PASSWORD_HOW[how]}. ` +
          'Every session and API key of the account was ended.',
        'If this was not you, reset your password at once and tell your administrator.',
      ]),
    );
  }

  async emailChanged(before: User, newEmail: string): Promise<void> {
    await this.send(
      before.email,
      before.id,
      render('The email address of your account was changed', [
        `Hello ${greeting(before)},`,
        `the email address of your account (${before.username}) was changed from ${before.email} ` +
          `to ${newEmail}. Links mailed to this address no longer work.`,
        'If this was not you, tell your administrator at once.',
      ]),
    );
  }

  wake(): void {
    this.queue.wake();
  }

  private send(to: string, userId: string, mail: RenderedMail): Promise<void> {
    return this.queue.enqueue({
      ...mail,
      kind: 'security_notice',
      to,
      userId,
      link: '',
      expiresAt: new Date(Date.now() + NOTICE_TTL_MS),
    });
  }
}
