import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, call, lockedMessage, plain, type User } from '../api';
import { ErrorBox, Field, Notice, useAction } from '../ui';

function signInError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401)
      return 'Wrong email, username or password. (A disabled account cannot sign in either: ask an administrator.)';
    if (e.code === 'account_locked') return lockedMessage(e.retryAfter);
    if (e.status === 400) return 'Enter your email or username and your password.';
  }
  return plain(e);
}

/** What a failed external sign-in (USHER_OAUTH_UI_ERROR_URL?error=<code>) means, in plain words. */
const EXTERNAL_ERRORS: Record<string, string> = {
  invalid_state: 'The sign-in took too long or was started in another browser. Please try again.',
  access_denied: 'The sign-in was cancelled at the identity provider.',
  provider_error: 'The identity provider reported an error. Please try again.',
  provider_unavailable: 'The identity provider could not be reached. Try again shortly.',
  code_rejected: 'The identity provider did not accept the sign-in. Please try again.',
  invalid_token: 'The answer from the identity provider could not be trusted. Please try again.',
  email_not_verified:
    'The identity provider does not say your email is verified, so it cannot be matched to an account.',
  account_not_verified:
    'An account with your email exists but never verified the address: reset its password by email (or verify it), then sign in here.',
  email_missing: 'The identity provider did not share an email address.',
  registration_disabled:
    'There is no account for you, and new accounts cannot be made this way: ask an administrator.',
  account_disabled: 'This account is disabled: ask an administrator.',
  account_locked: 'This account is locked after too many failed sign-ins. Try again later.',
  account_changed: 'The account changed while you were signing in. Please try again.',
};

export function externalSignInError(code: string | null): string | undefined {
  if (!code) return undefined;
  return EXTERNAL_ERRORS[code] ?? 'Signing in with the identity provider failed. Please try again.';
}

interface Provider {
  name: string;
  kind: string;
  authorize_url: string;
}

/** The identity providers the users service offers (GET /oauth/providers); none when it fails. */
function useProviders(): Provider[] {
  const [providers, setProviders] = useState<Provider[]>([]);
  useEffect(() => {
    let live = true;
    fetch('/oauth/providers', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => (res.ok ? (res.json() as Promise<{ providers?: Provider[] }>) : { providers: [] }))
      .then((body) => {
        const list = (body.providers ?? []).filter(
          (p) =>
            typeof p.name === 'string' &&
            typeof p.authorize_url === 'string' &&
            p.authorize_url.startsWith('/'),
        );
        if (live) setProviders(list);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return providers;
}

const titled = (name: string) => (name ? name[0]!.toUpperCase() + name.slice(1) : name);

export function SignInPage({ onSignedIn, reason }: { onSignedIn: () => Promise<void>; reason?: string }) {
  const [identity, setIdentity] = useState('');
  const [secret, setSecret] = useState('');
  const [forgot, setForgot] = useState(false);
  const { busy, error, run } = useAction();
  const providers = useProviders();
  const external = externalSignInError(new URLSearchParams(window.location.search).get('error'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      try {
        await call('POST', '/session', { identity, secret });
      } catch (err) {
        throw signInError(err);
      }
      await onSignedIn();
    });
  };

  if (forgot) return <ForgotPassword onBack={() => setForgot(false)} />;
  return (
    <main className="narrow" id="main">
      <h1>Sign in to Usher</h1>
      {reason && <Notice>{reason}</Notice>}
      {external && <ErrorBox error={external} />}
      <form onSubmit={submit} aria-busy={busy}>
        <Field label="Email or username" id="identity">
          <input
            id="identity"
            name="identity"
            autoComplete="username"
            required
            value={identity}
            onChange={(e) => setIdentity(e.target.value)}
          />
        </Field>
        <Field label="Password" id="secret">
          <input
            id="secret"
            name="secret"
            type="password"
            autoComplete="current-password"
            required
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>{' '}
        <button type="button" className="link-button" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      </form>
      {providers.length > 0 && (
        <nav aria-label="Other ways to sign in">
          {providers.map((p) => (
            <p key={p.name}>
              <a className="button" href={p.authorize_url}>
                Sign in with {titled(p.name)}
              </a>
            </p>
          ))}
        </nav>
      )}
    </main>
  );
}

function ForgotPassword({ onBack }: { onBack: () => void }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <main className="narrow" id="main">
      <h1>Reset your password</h1>
      {sent ? (
        <Notice>
          If an account uses {email}, an email with a reset link is on its way. The link works for a short
          time.
        </Notice>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call('POST', '/password/reset-request', { email });
              setSent(true);
            });
          }}
        >
          <Field label="Email" id="reset-email">
            <input
              id="reset-email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <ErrorBox error={error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send reset link'}
          </button>
        </form>
      )}
      <p>
        <button type="button" className="link-button" onClick={onBack}>
          Back to sign in
        </button>
      </p>
    </main>
  );
}

export function ChangePasswordForm({ onChanged }: { onChanged: () => Promise<void> }) {
  const [oldSecret, setOld] = useState('');
  const [newSecret, setNew] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (newSecret !== again) return setError('The two new passwords differ.');
        void run(async () => {
          let user: User;
          try {
            user = await call<User>('PATCH', '/users/secret', {
              old_secret: oldSecret,
              new_secret: newSecret,
            });
          } catch (err) {
            if (err instanceof ApiError && err.status === 401) throw 'Your current password is not right.';
            throw err;
          }
          // A new password ends every session of the account, this one too: sign in again with it.
          await call('POST', '/session', { identity: user.credentials.username, secret: newSecret });
          setOld('');
          setNew('');
          setAgain('');
          setDone(true);
          await onChanged();
        });
      }}
    >
      <Field label="Current password" id="old-secret">
        <input
          id="old-secret"
          type="password"
          autoComplete="current-password"
          required
          value={oldSecret}
          onChange={(e) => setOld(e.target.value)}
        />
      </Field>
      <Field label="New password" id="new-secret" hint="At least 8 characters.">
        <input
          id="new-secret"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="new-secret-hint"
          value={newSecret}
          onChange={(e) => setNew(e.target.value)}
        />
      </Field>
      <Field label="New password again" id="new-secret-again">
        <input
          id="new-secret-again"
          type="password"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </Field>
      <ErrorBox error={error} />
      {done && <Notice>Password changed.</Notice>}
      <button type="submit" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
