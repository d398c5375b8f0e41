import fs from 'fs';
import path from 'path';
import type { MailKind, MailTemplates, RenderedMail } from '../ports';

// A template file (docker/templates/*.tmpl) holds a subject line, a plain-text part and an HTML part:
//
//   Subject: Reset your password
//   --- text ---
//   Hello {{name}}, ... {{link}}
//   --- html ---
//   <p>Hello {{name}}, ... <a href="{{link}}">...</a></p>
//
// Placeholders are {{name}}; values are HTML-escaped in the HTML part and nowhere else.

/** The placeholders each kind of mail offers; a template using another fails at startup. */
export const TEMPLATE_VARIABLES: Record<MailKind, readonly string[]> = {
  password_reset: ['link', 'email', 'name', 'expires_in'],
  verification: ['link', 'email', 'name', 'expires_in'],
  invitation: ['link', 'email', 'role', 'inviter', 'expires_in'],
};

const PLACEHOLDER = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;

export interface ParsedTemplate {
  subject: string;
  text: string;
  html: string;
}

export class TemplateError extends Error {}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function parseTemplate(source: string, kind: MailKind, file: string): ParsedTemplate {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const textAt = lines.findIndex((l) => l.trim() === '--- text ---');
  const htmlAt = lines.findIndex((l) => l.trim() === '--- html ---');
  if (textAt < 0 || htmlAt < textAt)
    throw new TemplateError(
      `${file}: expected a "--- text ---" section followed by an "--- html ---" section`,
    );
  const subjectLine = lines.slice(0, textAt).find((l) => /^subject:/i.test(l.trim()));
  const subject = subjectLine?.trim().replace(/^subject:\s*/i, '') ?? '';
  if (!subject) throw new TemplateError(`${file}: expected a "Subject: ..." line before "--- text ---"`);
  const section = (from: number, to: number) => lines.slice(from, to).join('\n').trim() + '\n';
  const parsed = { subject, text: section(textAt + 1, htmlAt), html: section(htmlAt + 1, lines.length) };
  const allowed = TEMPLATE_VARIABLES[kind];
  for (const [part, body] of Object.entries(parsed)) {
    for (const m of body.matchAll(PLACEHOLDER)) {
      if (!allowed.includes(m[1]!))
        throw new TemplateError(
          `${file}: unknown placeholder {{${m[1]}}} in the ${part} (known: ${allowed.join(', ')})`,
        );
    }
  }
  for (const part of ['text', 'html'] as const) {
    if (![...parsed[part].matchAll(PLACEHOLDER)].some((m) => m[1] === 'link'))
      throw new TemplateError(`${file}: the ${part} part must contain {{link}}`);
  }
  return parsed;
}

const fill = (body: string, vars: Record<string, string>, encode: (v: string) => string) =>
  body.replace(PLACEHOLDER, (_m, name: string) => encode(vars[name] ?? ''));

export function renderTemplate(t: ParsedTemplate, vars: Record<string, string>): RenderedMail {
  return {
    // One line, whatever a value holds: no header can be injected through a name.
    subject: fill(t.subject, vars, (v) => v.replace(/[\r\n]+/g, ' ')),
    text: fill(t.text, vars, (v) => v),
    html: fill(t.html, vars, escapeHtml),
  };
}

/**
 * Where a template name is looked for: as given (absolute, or from the working directory), then
 * `templates/` of the service (the container image), then the repository's `docker/templates/`.
 */
export function templateCandidates(name: string): string[] {
  if (path.isAbsolute(name)) return [name];
  return [
    path.resolve(name),
    path.join(__dirname, '../../templates', name),
    path.join(__dirname, '../../../../docker/templates', name),
  ];
}

/** The three templates, read and checked once at startup. */
export class FileMailTemplates implements MailTemplates {
  private constructor(private readonly templates: Record<MailKind, ParsedTemplate>) {}

  static load(names: Record<'passwordReset' | 'verification' | 'invitation', string>): FileMailTemplates {
    const read = (kind: MailKind, variable: string, name: string): ParsedTemplate => {
      const tried = templateCandidates(name);
      const file = tried.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!file)
        throw new TemplateError(`${variable}: template ${name} not found (looked in ${tried.join(', ')})`);
      return parseTemplate(fs.readFileSync(file, 'utf8'), kind, file);
    };
    return new FileMailTemplates({
      password_reset: read('password_reset', 'USHER_PASSWORD_RESET_EMAIL_TEMPLATE', names.passwordReset),
      verification: read('verification', 'USHER_VERIFICATION_EMAIL_TEMPLATE', names.verification),
      invitation: read('invitation', 'USHER_INVITATION_EMAIL_TEMPLATE', names.invitation),
    });
  }

  render(kind: MailKind, vars: Record<string, string>): RenderedMail {
    return renderTemplate(this.templates[kind], vars);
  }
}
