import path from 'path';
import { backoffMs } from './sender';
import { escapeHtml, FileMailTemplates, parseTemplate, renderTemplate, TemplateError } from './templates';
import { humanDuration, linkWith } from '../domain/email-links';

const REPO_TEMPLATES = path.join(__dirname, '../../../../docker/templates');

describe('mail templates', () => {
  const templates = FileMailTemplates.load({
    passwordReset: path.join(REPO_TEMPLATES, 'reset-password-email.tmpl'),
    verification: 'verification-email.tmpl', // found in docker/templates
    invitation: 'invitation-email.tmpl',
  });

  it('fills the shipped templates: the link in both parts, values escaped in the HTML part only', () => {
    const link = 'http://x.test/reset?a=1&token=abc';
    const mail = templates.render('password_reset', {
      link,
      email: 'ada@example.com',
      name: '<script>alert("x")</script>',
      expires_in: '5 minutes',
    });
    expect(mail.subject).toBe('Reset your Usher password');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('<script>alert("x")</script>');
    expect(mail.html).toContain('href="http://x.test/reset?a=1&amp;token=abc"');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const invitation = templates.render('invitation', {
      link,
      email: 'g@x.test',
      role: 'editor',
      inviter: 'Ann',
      expires_in: '72 hours',
    });
    expect(invitation.text).toContain('Ann invited g@x.test to Usher as editor');
  });

  it('keeps the subject on one line whatever a value holds', () => {
    const t = parseTemplate(
      'Subject: Hi {{name}}\n--- text ---\n{{link}}\n--- html ---\n{{link}}\n',
      'verification',
      't',
    );
    expect(renderTemplate(t, { name: 'a\r\nBcc: evil@x.test', link: 'l' }).subject).toBe(
      'Hi a Bcc: evil@x.test',
    );
  });

  it('refuses a template without a link, with an unknown placeholder, or without its sections', () => {
    expect(() =>
      parseTemplate('Subject: x\n--- text ---\nno link\n--- html ---\n{{link}}', 'verification', 'f'),
    ).toThrow(/text part must contain \{\{link\}\}/);
    expect(() =>
      parseTemplate(
        'Subject: x\n--- text ---\n{{link}} {{role}}\n--- html ---\n{{link}}',
        'verification',
        'f',
      ),
    ).toThrow(/unknown placeholder \{\{role\}\}/);
    expect(() => parseTemplate('Subject: x\n{{link}}', 'verification', 'f')).toThrow(TemplateError);
    expect(() =>
      FileMailTemplates.load({ passwordReset: 'missing.tmpl', verification: 'x', invitation: 'y' }),
    ).toThrow(/USHER_PASSWORD_RESET_EMAIL_TEMPLATE: template missing.tmpl not found/);
  });

  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('links and retries', () => {
  it('adds the token to the prefix, keeping its own query', () => {
    expect(linkWith('https://a.test/verify', 'T')).toBe('https://a.test/verify?token=T');
    expect(linkWith('https://a.test/verify?x=1', 'T')).toBe('https://a.test/verify?x=1&token=T');
  });

  it('says durations in words', () => {
    expect(humanDuration(300_000)).toBe('5 minutes');
    expect(humanDuration(72 * 3_600_000)).toBe('72 hours');
    expect(humanDuration(14 * 86_400_000)).toBe('14 days');
    expect(humanDuration(1_000)).toBe('1 second');
    expect(humanDuration(90_000)).toBe('90 seconds');
  });

  it('backs off exponentially up to the maximum, with jitter', () => {
    const retry = { baseMs: 1000, maxMs: 300_000 };
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, retry, mid))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(50, retry, mid)).toBe(300_000);
    expect(backoffMs(1, retry, () => 0)).toBe(800);
    expect(backoffMs(1, retry, () => 1)).toBe(1200);
  });
});
