import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import {
  captureNats,
  describeWithNats,
  startOtlpReceiver,
  waitFor,
  type NatsCapture,
  type OtlpReceiver,
} from '@usher/testkit';
import { newUserBody, OWNER } from './harness';
import { relayBuilt, startProcessStack, type ProcessStack } from './process-stack';
import { linkOf, SmtpSink, tokenOf } from './smtp';

// Secrets are never logged, traced or published (DESIGN.md, "Data"). Both services run as processes
// at debug level with tracing on; every log line, exported span and NATS message is searched for
// each password, token, key and mailed link the flows used.
const emailRoutesBuilt = () => fs.existsSync(path.join(__dirname, '../dist/http/email-routes.js'));
const fresh = (label: string) => `${label}-${randomBytes(12).toString('base64url')}`;

/** The text to look for: the whole secret and the parts that identify it on their own. */
function needles(secret: string): string[] {
  const jwt = /^[\w-]+\.([\w-]+)\.([\w-]+)$/.exec(secret); // header.payload.signature (the header is shared)
  const apiKey = /^usher_pat_[0-9a-f]{32}_([\w-]{43})$/.exec(secret); // the key id may be logged, not the rest
  return [secret, ...(jwt ? [jwt[1]!, jwt[2]!] : []), ...(apiKey ? [apiKey[1]!] : [])];
}

describe('no secret leaks into logs, spans or events', () => {
  let receiver: OtlpReceiver;
  let stack: ProcessStack | undefined;
  let nats: NatsCapture | undefined;
  let smtp: SmtpSink;

  beforeAll(async () => {
    // jest cannot register describe blocks after an await, so the skip decision happens here
    if ((await describeWithNats()) === describe.skip) return;
    receiver = await startOtlpReceiver();
    smtp = await SmtpSink.start();
    nats = await captureNats('usher.>'); // user events and the auth revocation fan-out
    stack = await startProcessStack({
      USHER_JAEGER_URL: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      USHER_USERS_LOG_LEVEL: 'debug',
      USHER_AUTH_LOG_LEVEL: 'debug',
      USHER_PASSWORD_RESET_URL_PREFIX: 'http://ui.example.test/password/reset',
      ...smtp.env(),
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await nats?.close();
    await receiver?.close();
    await smtp?.stop();
  });

  it('sign-up, sign-in, refresh, API key, password change (and reset, verification) leave no secret behind', async () => {
    if (!stack) return console.warn('skipped: NATS unreachable');
    const base = stack.usersUrl;
    const call = async (method: string, url: string, body?: unknown, token?: string) => {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(base + url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, string> };
    };
    const secrets: Record<string, string> = { owner_password: OWNER.password };
    const signIn = async (label: string, identity: string, secret: string) => {
      const res = await call('POST', '/users/tokens/issue', { identity, secret });
      expect(res.status).toBe(201);
      secrets[`${label}_access`] = res.body.access_token!;
      secrets[`${label}_refresh`] = res.body.refresh_token!;
      return res.body;
    };

    // sign up
    const first = (secrets.first_password = fresh('first-pass'));
    const body = newUserBody('leak', { credentials: { username: 'user_leak', secret: first } });
    const created = await call('POST', '/users', body);
    expect(created.status).toBe(201);
    const email = created.body.email!;

    // a failed sign-in, then sign-in and refresh
    const wrong = (secrets.wrong_password = fresh('wrong-pass'));
    expect((await call('POST', '/users/tokens/issue', { identity: 'user_leak', secret: wrong })).status).toBe(
      401,
    );
    const one = await signIn('signin', 'user_leak', first);
    const refreshed = await call('POST', '/users/tokens/refresh', undefined, one.refresh_token);
    expect(refreshed.status).toBe(201);
    secrets.refreshed_access = refreshed.body.access_token!;
    secrets.refreshed_refresh = refreshed.body.refresh_token!;
    const access = refreshed.body.access_token!;
    expect((await call('GET', '/users/profile', undefined, access)).status).toBe(200);

    // an API key, created and used
    const key = await call('POST', '/users/keys', { name: 'ci' }, access);
    expect(key.status).toBe(201);
    secrets.api_key = key.body.key!;
    expect((await call('GET', '/users/profile', undefined, key.body.key)).status).toBe(200);

    // password change, then sign-in with the new one
    const second = (secrets.second_password = fresh('second-pass'));
    const changed = await call('PATCH', '/users/secret', { old_secret: first, new_secret: second }, access);
    expect(changed.status).toBe(200);
    const two = await signIn('after_change', 'user_leak', second);
    let finalAccess = two.access_token!;

    // mailed tokens, when the email flows are built: password reset and email verification
    if (emailRoutesBuilt()) {
      expect((await call('POST', '/password/reset-request', { email })).status).toBe(201);
      const resetMail = await smtp.waitFor(email);
      secrets.reset_token = tokenOf(resetMail);
      secrets.reset_link = linkOf(resetMail).toString();
      const third = (secrets.reset_password = fresh('reset-pass'));
      const reset = await call('PUT', '/password/reset', {
        token: secrets.reset_token,
        password: third,
        confirm_password: third,
      });
      expect(reset.status).toBe(201);
      finalAccess = (await signIn('after_reset', 'user_leak', third)).access_token!;

      expect((await call('POST', '/users/send-verification', undefined, finalAccess)).status).toBe(200);
      const verifyMail = await smtp.waitFor(email, 2);
      secrets.verification_token = tokenOf(verifyMail);
      secrets.verification_link = linkOf(verifyMail).toString();
      const link = linkOf(verifyMail);
      expect((await call('GET', `/verify-email${link.search}`)).status).toBeLessThan(400);
    } else {
      console.warn('email routes not built: password reset and verification were not exercised');
    }

    // everything went out: the last sign-in's events were published, its spans exported
    if (relayBuilt())
      await waitFor(() => nats!.messages.some((m) => m.subject === 'usher.users.signed_in'), 10_000);
    const { users, auth } = stack;
    await stack.stop(); // the drain flushes the last spans and log lines
    stack = undefined;

    const haystacks: Record<string, string> = {
      users_logs: users.output(),
      auth_logs: auth.output(),
      spans: receiver.bodies.join('\n'),
      nats: JSON.stringify(nats!.messages),
    };

    // the search means something only if the haystacks hold the flows
    expect(haystacks.users_logs).toContain('"route":"/users/tokens/refresh"');
    expect(haystacks.users_logs).toContain('"level":"debug"');
    expect(haystacks.auth_logs).toContain('"service":"auth"');
    expect(haystacks.spans).toContain('users.change_secret');
    expect(haystacks.spans).toContain('AuthService/CreateApiKey');
    if (relayBuilt()) {
      expect(haystacks.nats).toContain('usher.users.password_changed');
      expect(haystacks.nats).toContain(email);
    }

    const found: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      for (const needle of needles(secret)) {
        for (const [where, text] of Object.entries(haystacks)) {
          if (text.includes(needle)) found.push(`${name} in ${where}`);
        }
      }
    }
    // password hashes stay in the database too
    for (const [where, text] of Object.entries(haystacks))
      if (/\$2[aby]\$\d\d\$/.test(text)) found.push(`a bcrypt hash in ${where}`);
    expect(found).toEqual([]);
    expect(finalAccess).toBeTruthy();
  });
});
