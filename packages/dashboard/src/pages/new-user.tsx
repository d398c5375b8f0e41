import { useState } from 'react';
import { call, type Role, type User } from '../api';
import { Link } from '../router';
import { ErrorBox, Field, Notice, ShownOnce, useAction } from '../ui';
import { assignable } from './user';

/** A throw-away first secret: the temporary password replaces it at once. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function NewUserPage({ me }: { me: User }) {
  const [mode, setMode] = useState<'temporary' | 'invite' | 'link'>('temporary');
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<{
    user?: User;
    temp?: string;
    invited?: string;
    link?: { email: string; url: string };
  } | null>(null);
  const { busy, error, run } = useAction();

  if (created)
    return (
      <section>
        <h1>User added</h1>
        {created.invited && (
          <Notice>
            An invitation was emailed to {created.invited}. Its link lets them choose a username and password.
          </Notice>
        )}
        {created.link && (
          <>
            <Notice>
              {created.link.email} is invited. No mail was sent: hand them this link yourself. It works once,
              and it is shown only now.
            </Notice>
            <ShownOnce label="Invitation link" value={created.link.url} />
          </>
        )}
        {created.user && created.temp && (
          <>
            <Notice>
              {created.user.credentials.username} was created. They must change this temporary password when
              they first sign in.
            </Notice>
            <ShownOnce label="Temporary password" value={created.temp} />
            <p>
              <Link to={`/users/${created.user.id}`}>Open {created.user.credentials.username}</Link>
            </p>
          </>
        )}
        <p>
          <Link to="/users">Back to users</Link>
        </p>
      </section>
    );

  return (
    <section>
      <h1>Add user</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (mode === 'invite') {
              await call('POST', '/users/invitations', { email, role });
              setCreated({ invited: email });
              return;
            }
            if (mode === 'link') {
              const res = await call<{ link: string }>('POST', '/users/invitations', {
                email,
                role,
                delivery: 'link',
              });
              setCreated({ link: { email, url: res.link } });
              return;
            }
            const user = await call<User>('POST', '/users', {
              email,
              first_name: first,
              last_name: last,
              role,
              credentials: { username, secret: randomSecret() },
            });
            const r = await call<{ temporary_password: string }>(
              'POST',
              `/users/${user.id}/temporary-password`,
            );
            setCreated({ user, temp: r.temporary_password });
          });
        }}
      >
        <fieldset>
          <legend>How</legend>
          <label className="inline">
            <input
              type="radio"
              name="mode"
              value="temporary"
              checked={mode === 'temporary'}
              onChange={() => setMode('temporary')}
            />{' '}
            With a temporary password
          </label>
          <label className="inline">
            <input
              type="radio"
              name="mode"
              value="invite"
              checked={mode === 'invite'}
              onChange={() => setMode('invite')}
            />{' '}
            By invitation email
          </label>
          <label className="inline">
            <input
              type="radio"
              name="mode"
              value="link"
              checked={mode === 'link'}
              onChange={() => setMode('link')}
            />{' '}
            By invitation link shown once (no mail)
          </label>
        </fieldset>
        <Field label="Email" id="new-email">
          <input
            id="new-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        {mode === 'temporary' && (
          <>
            <Field label="Username" id="new-username">
              <input
                id="new-username"
                required
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </Field>
            <div className="row">
              <Field label="First name" id="new-first">
                <input id="new-first" value={first} onChange={(e) => setFirst(e.target.value)} />
              </Field>
              <Field label="Last name" id="new-last">
                <input id="new-last" value={last} onChange={(e) => setLast(e.target.value)} />
              </Field>
            </div>
          </>
        )}
        <Field label="Role" id="new-role">
          <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {assignable(me).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy
            ? 'Adding…'
            : mode === 'invite'
              ? 'Send invitation'
              : mode === 'link'
                ? 'Create invitation link'
                : 'Add user'}
        </button>
      </form>
    </section>
  );
}
