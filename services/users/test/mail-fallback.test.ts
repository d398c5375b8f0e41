import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { simpleParser } from 'mailparser';
import { api, OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from './harness';
import { until } from './smtp';

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: 'localhost', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

// No mail server configured and none on localhost:25: the development fallback writes .eml files.
describe('mail without a mail server (development fallback)', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let dir: string;
  let skip = false;

  beforeAll(async () => {
    skip = await answers(25);
    if (skip) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-mail-'));
    auth = await startAuthProcess();
    users = await startUsers(auth.address, { USHER_EMAIL_DEV_DIR: dir });
    http = api(users.url);
  });
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes each mail as an .eml file whose link works', async () => {
    if (skip) return console.warn('something answers on localhost:25: the fallback is not used there');
    expect((await http.post('/password/reset-request', { email: OWNER.email })).status).toBe(201);
    const file = await until(async () => fs.readdirSync(dir).find((f) => f.endsWith('.eml')), 10_000);
    expect(file).toMatch(/password_reset/);
    expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const mail = await simpleParser(fs.readFileSync(path.join(dir, file)));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(OWNER.email);
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    const reset = await http.put('/password/reset', {
      token,
      password: 'from-the-file-1',
      confirm_password: 'from-the-file-1',
    });
    expect(reset.status).toBe(201);
    const ownerToken = (await http.signIn(OWNER.username, 'from-the-file-1')).access_token;
    const sent = await until(async () => {
      const body = (await http.get('/audit?type=mail_sent', ownerToken)).body;
      return body.events.length >= 2 && body;
    }, 10_000);
    // The link mail, and the notice that the password changed (newest first).
    const kinds = (sent.events as { details: { kind: string; transport: string } }[]).map((e) => e.details);
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'password_reset', transport: 'files' }),
        expect.objectContaining({ kind: 'security_notice', transport: 'files' }),
      ]),
    );
  });
});
