import { useCallback, useEffect, useState } from 'react';
import { ApiError, call, qs, rank, ROLES, type AuditEvent, type Role, type Session, type User } from '../api';
import { navigate } from '../router';
import { ErrorBox, Field, Loading, Notice, ShownOnce, fmt, useAction } from '../ui';
import { SessionTable } from './account';
import { AuditTable } from './audit';

/** Roles `me` may give: an owner any, an admin only below admin. */
export const assignable = (me: User): Role[] =>
  ROLES.filter((r) => (me.role === 'owner' ? true : rank(r) < rank('admin')));

export function UserPage({ id, me }: { id: string; me: User }) {
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [temp, setTemp] = useState('');
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    try {
      setUser(await call<User>('GET', `/users/${id}`));
    } catch (e) {
      setLoadError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  if (loadError) return <ErrorBox error={loadError} />;
  if (!user) return <Loading what="Loading user" />;

  const self = user.id === me.id;
  // An admin manages viewers and editors; the owner manages everyone else.
  const manageable = !self && (me.role === 'owner' || rank(user.role) < rank('admin'));
  const act = (label: string, fn: () => Promise<void>) =>
    void run(async () => {
      setNotice('');
      await fn();
      await load();
      setNotice(label);
    });

  return (
    <section>
      <h1>
        {`${user.first_name} ${user.last_name}`.trim() || user.credentials.username}{' '}
        <span className={`badge ${user.status}`} data-testid="user-status">
          {user.status}
        </span>
      </h1>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{user.credentials.username}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd data-testid="user-role">{user.role}</dd>
        <dt>Verified</dt>
        <dd>{user.verified_at ? fmt(user.verified_at) : 'no'}</dd>
        <dt>Picture</dt>
        <dd>{user.profile_picture || user.picture || '—'}</dd>
        <dt>Tags</dt>
        <dd>{user.tags?.join(', ') || '—'}</dd>
        <dt>Created</dt>
        <dd>{fmt(user.created_at)}</dd>
        <dt>Updated</dt>
        <dd>{fmt(user.updated_at)}</dd>
        <dt>Id</dt>
        <dd>
          <code>{user.id}</code>
        </dd>
      </dl>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {temp && <ShownOnce label="Temporary password" value={temp} />}

      {manageable && user.status !== 'deleted' && (
        <>
          <h2>Actions</h2>
          <div className="actions">
            {user.status === 'enabled' ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => act('User disabled.', () => call('POST', `/users/${id}/disable`))}
              >
                Disable
              </button>
            ) : (
              <button
                type="button"
                disabled={busy}
                onClick={() => act('User enabled.', () => call('POST', `/users/${id}/enable`))}
              >
                Enable
              </button>
            )}
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                act('Sign-in unlocked: failed attempts are forgotten.', async () => {
                  await call('POST', `/users/${id}/unlock`);
                })
              }
            >
              Unlock sign-in
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                act(
                  'A temporary password was set: the user must change it at the next sign-in.',
                  async () => {
                    const r = await call<{ temporary_password: string }>(
                      'POST',
                      `/users/${id}/temporary-password`,
                    );
                    setTemp(r.temporary_password);
                  },
                )
              }
            >
              Reset to a temporary password
            </button>
          </div>
          <RoleForm user={user} me={me} busy={busy} act={act} />
          <EditForm user={user} busy={busy} act={act} />
          <DeleteForm user={user} busy={busy} run={run} />
        </>
      )}
      <UserSessions id={id} canRevoke={manageable} />
      <RecentAudit id={id} />
    </section>
  );
}

type Act = (label: string, fn: () => Promise<void>) => void;

function RoleForm({ user, me, busy, act }: { user: User; me: User; busy: boolean; act: Act }) {
  const [role, setRole] = useState<Role>(user.role ?? 'viewer');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        act(`Role changed to ${role}.`, () => call('PATCH', `/users/${user.id}/role`, { role }));
      }}
    >
      <h2>Role</h2>
      <Field label="Role" id="user-role-select">
        <select id="user-role-select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {assignable(me).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={busy || role === user.role}>
        Change role
      </button>
    </form>
  );
}

function EditForm({ user, busy, act }: { user: User; busy: boolean; act: Act }) {
  const [first, setFirst] = useState(user.first_name);
  const [last, setLast] = useState(user.last_name);
  const [email, setEmail] = useState(user.email ?? '');
  const [username, setUsername] = useState(user.credentials.username);
  const [picture, setPicture] = useState(user.profile_picture ?? user.picture ?? '');
  const [tags, setTags] = useState((user.tags ?? []).join(', '));
  const [metadata, setMetadata] = useState(JSON.stringify(user.metadata ?? {}, null, 2));
  const [invalid, setInvalid] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        let meta: unknown;
        try {
          meta = JSON.parse(metadata);
        } catch {
          return setInvalid('Metadata must be valid JSON, for example {"team": "qa"}.');
        }
        if (!meta || typeof meta !== 'object' || Array.isArray(meta))
          return setInvalid('Metadata must be a JSON object, for example {"team": "qa"}.');
        setInvalid('');
        act('Changes saved.', async () => {
          await call('PATCH', `/users/${user.id}`, {
            first_name: first,
            last_name: last,
            metadata: meta,
            tags: tags
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
            ...(picture !== (user.profile_picture ?? user.picture ?? '') ? { profile_picture: picture } : {}),
          });
          if (email !== user.email) await call('PATCH', `/users/${user.id}/email`, { email });
          if (username !== user.credentials.username)
            await call('PATCH', `/users/${user.id}/username`, { username });
        });
      }}
    >
      <h2>Edit</h2>
      <div className="row">
        <Field label="First name" id="edit-first">
          <input id="edit-first" value={first} onChange={(e) => setFirst(e.target.value)} />
        </Field>
        <Field label="Last name" id="edit-last">
          <input id="edit-last" value={last} onChange={(e) => setLast(e.target.value)} />
        </Field>
      </div>
      <div className="row">
        <Field label="Email" id="edit-email">
          <input id="edit-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Username" id="edit-username">
          <input id="edit-username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
      </div>
      <Field label="Picture URL" id="edit-picture">
        <input id="edit-picture" value={picture} onChange={(e) => setPicture(e.target.value)} />
      </Field>
      <Field label="Tags (comma-separated)" id="edit-tags">
        <input id="edit-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
      </Field>
      <Field label="Metadata (JSON object)" id="edit-metadata">
        <textarea
          id="edit-metadata"
          rows={4}
          value={metadata}
          onChange={(e) => setMetadata(e.target.value)}
        />
      </Field>
      {invalid && (
        <p className="error" role="alert">
          {invalid}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Save changes
      </button>
    </form>
  );
}

function DeleteForm({
  user,
  busy,
  run,
}: {
  user: User;
  busy: boolean;
  run: (fn: () => Promise<void>) => Promise<void>;
}) {
  const [typed, setTyped] = useState('');
  const name = user.credentials.username;
  return (
    <form
      className="danger"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await call('DELETE', `/users/${user.id}`);
          navigate('/users');
        });
      }}
    >
      <h2>Delete user</h2>
      <Field label={`Type the username "${name}" to confirm`} id="delete-confirm">
        <input
          id="delete-confirm"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </Field>
      <button type="submit" className="danger" disabled={busy || typed !== name}>
        Delete this user
      </button>
    </form>
  );
}

function UserSessions({ id, canRevoke }: { id: string; canRevoke: boolean }) {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const { busy, error, run } = useAction();
  const load = useCallback(
    () =>
      run(async () =>
        setSessions((await call<{ sessions: Session[] }>('GET', `/users/${id}/sessions`)).sessions),
      ),
    [id],
  );
  useEffect(() => void load(), [load]);
  return (
    <>
      <h2>Sessions</h2>
      <ErrorBox error={error} />
      {!sessions ? (
        <Loading what="Loading sessions" />
      ) : (
        <>
          <SessionTable sessions={sessions} busy={busy} />
          {canRevoke && sessions.length > 0 && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await call('DELETE', `/users/${id}/sessions`);
                  setSessions((await call<{ sessions: Session[] }>('GET', `/users/${id}/sessions`)).sessions);
                })
              }
            >
              Revoke all sessions
            </button>
          )}
        </>
      )}
    </>
  );
}

function RecentAudit({ id }: { id: string }) {
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call<{ events: AuditEvent[] }>('GET', `/audit${qs({ user_id: id, limit: 10 })}`)
      .then((r) => setEvents(r.events))
      .catch((e) =>
        setError(e instanceof ApiError && e.status === 403 ? 'The audit log is for administrators.' : e),
      );
  }, [id]);
  return (
    <>
      <h2>Recent audit events</h2>
      <ErrorBox error={error} />
      {!events && !error ? <Loading what="Loading events" /> : events && <AuditTable events={events} />}
    </>
  );
}
