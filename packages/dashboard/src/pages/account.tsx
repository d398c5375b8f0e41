import { useCallback, useEffect, useState } from 'react';
import { call, type ApiKey, type Session, type User } from '../api';
import { ErrorBox, Field, Loading, Notice, ShownOnce, fmt, useAction } from '../ui';
import { ChangePasswordForm } from './sign-in';

export function AccountPage({ me, reload }: { me: User; reload: () => Promise<void> }) {
  return (
    <section>
      <h1>My account</h1>
      <Profile me={me} reload={reload} />
      <h2>Change password</h2>
      <ChangePasswordForm onChanged={async () => undefined} />
      <MySessions />
      <MyKeys />
    </section>
  );
}

function Profile({ me, reload }: { me: User; reload: () => Promise<void> }) {
  const [first, setFirst] = useState(me.first_name);
  const [last, setLast] = useState(me.last_name);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <>
      <h2>Profile</h2>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{me.credentials.username}</dd>
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Role</dt>
        <dd data-testid="my-role">{me.role}</dd>
        <dt>Email verified</dt>
        <dd>{me.verified_at ? `yes, ${fmt(me.verified_at)}` : 'no'}</dd>
        <dt>Member since</dt>
        <dd>{fmt(me.created_at)}</dd>
      </dl>
      {!me.verified_at && <ResendVerification />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void run(async () => {
            await call('PATCH', `/users/${me.id}`, { first_name: first, last_name: last });
            await reload();
            setSaved(true);
          });
        }}
      >
        <div className="row">
          <Field label="First name" id="my-first">
            <input id="my-first" value={first} onChange={(e) => setFirst(e.target.value)} />
          </Field>
          <Field label="Last name" id="my-last">
            <input id="my-last" value={last} onChange={(e) => setLast(e.target.value)} />
          </Field>
        </div>
        <ErrorBox error={error} />
        {saved && <Notice>Profile saved.</Notice>}
        <button type="submit" disabled={busy}>
          Save profile
        </button>
      </form>
    </>
  );
}

function ResendVerification() {
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <p>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            await call('POST', '/users/send-verification');
            setSent(true);
          })
        }
      >
        Send verification email
      </button>{' '}
      {sent && <span role="status">Sent: check your inbox.</span>}
      <ErrorBox error={error} />
    </p>
  );
}

function MySessions() {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const { busy, error, run } = useAction();
  const load = useCallback(
    () =>
      run(async () => setSessions((await call<{ sessions: Session[] }>('GET', '/users/sessions')).sessions)),
    [],
  );
  useEffect(() => void load(), [load]);
  return (
    <>
      <h2>My sessions</h2>
      <ErrorBox error={error} />
      {!sessions ? (
        <Loading what="Loading sessions" />
      ) : (
        <SessionTable
          sessions={sessions}
          busy={busy}
          onRevoke={(id) =>
            void run(async () => {
              await call('DELETE', `/users/sessions/${id}`);
              await load();
            })
          }
        />
      )}
    </>
  );
}

export function SessionTable({
  sessions,
  busy,
  onRevoke,
}: {
  sessions: Session[];
  busy: boolean;
  onRevoke?: (id: string) => void;
}) {
  if (sessions.length === 0) return <p>No active sessions.</p>;
  return (
    <div className="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">IP</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last used</th>
            {onRevoke && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                {s.user_agent || s.method} {s.current && <strong>(this session)</strong>}
              </td>
              <td>{s.ip}</td>
              <td>{fmt(s.created_at)}</td>
              <td>{fmt(s.last_used_at)}</td>
              {onRevoke && (
                <td>
                  {!s.current && (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Revoke session from ${s.ip}, signed in ${fmt(s.created_at)}`}
                      onClick={() => onRevoke(s.id)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MyKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const { busy, error, run } = useAction();
  const load = useCallback(
    () => run(async () => setKeys((await call<{ keys: ApiKey[] }>('GET', '/users/keys')).keys)),
    [],
  );
  useEffect(() => void load(), [load]);
  return (
    <>
      <h2>My API keys</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setCreated(await call<ApiKey>('POST', '/users/keys', { name }));
            setName('');
            setKeys((await call<{ keys: ApiKey[] }>('GET', '/users/keys')).keys);
          });
        }}
      >
        <Field label="New key name" id="key-name">
          <input id="key-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Create API key
        </button>
      </form>
      {created?.key && <ShownOnce label={`API key "${created.name}"`} value={created.key} />}
      <ErrorBox error={error} />
      {!keys ? (
        <Loading what="Loading API keys" />
      ) : keys.length === 0 ? (
        <p>No API keys.</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>{fmt(k.created_at)}</td>
                  <td>{fmt(k.expires_at)}</td>
                  <td>{fmt(k.last_used_at)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Revoke API key ${k.name}`}
                      onClick={() =>
                        void run(async () => {
                          await call('DELETE', `/users/keys/${k.id}`);
                          setKeys((await call<{ keys: ApiKey[] }>('GET', '/users/keys')).keys);
                        })
                      }
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
