import fs from 'fs';
import os from 'os';
import path from 'path';
import type { EmailConfig } from '@usher/config';
import type { Logger } from '@usher/telemetry';
import { createMailTransport, FileTransport } from './transport';

const email = (over: Partial<EmailConfig> = {}): EmailConfig => ({
  host: 'localhost',
  port: 25,
  username: '',
  password: '',
  fromAddress: '',
  fromName: '',
  configured: false,
  devDir: '',
  retry: { baseMs: 1000, maxMs: 300_000 },
  templates: { passwordReset: '', verification: '', invitation: '' },
  ...over,
});

function fakeLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    lines.push({ level, obj, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as unknown as Logger };
}

describe('mail transports', () => {
  it('the development fallback writes an .eml file and logs the link at info, marked as the fallback', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-eml-'));
    try {
      const { lines, logger } = fakeLogger();
      const transport = new FileTransport(email({ devDir: path.join(dir, 'mail') }), logger);
      const link = 'http://localhost:9002/verify-email?token=abc';
      await transport.send({
        id: '6f1b0b8e-2f8e-4d6f-9d76-1d2b3c4d5e6f',
        kind: 'verification',
        to: 'ada@example.com',
        userId: null,
        subject: 'Verify',
        text: `open ${link}`,
        html: `<a href="${link}">open</a>`,
        link,
        expiresAt: new Date(Date.now() + 60_000),
        attempts: 1,
      });
      const [file] = fs.readdirSync(path.join(dir, 'mail'));
      expect(file).toMatch(/verification-6f1b0b8e.*\.eml$/);
      const raw = fs.readFileSync(path.join(dir, 'mail', file!), 'utf8');
      expect(raw).toMatch(/^To: ada@example.com$/m);
      expect(raw).toMatch(/^From: Usher <usher@localhost>$/m);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'info',
          obj: expect.objectContaining({ development_fallback: true, link }),
          msg: expect.stringMatching(/development fallback/),
        }),
      ]);
      transport.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses SMTP whenever a server is configured or in production, the fallback only otherwise', async () => {
    const { logger } = fakeLogger();
    const configured = await createMailTransport(
      email({ configured: true, host: '127.0.0.1', port: 1 }),
      false,
      logger,
    );
    expect(configured.mode).toBe('smtp');
    configured.close();
    const production = await createMailTransport(email({ port: 1 }), true, logger);
    expect(production.mode).toBe('smtp');
    production.close();
    // Nothing listens on port 1: an unconfigured development start falls back to files.
    const dev = await createMailTransport(email({ port: 1 }), false, logger);
    expect(dev.mode).toBe('files');
    dev.close();
  });
});
