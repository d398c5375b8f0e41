import { useEffect, useState } from 'react';
import { call, qs, type AuditEvent } from '../api';
import { Link } from '../router';
import { ErrorBox, Field, Loading, fmt } from '../ui';

const LIMIT = 25;

export function AuditTable({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) return <p>No events.</p>;
  return (
    <div className="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col">By</th>
            <th scope="col">User</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{fmt(e.occurred_at)}</td>
              <td>{e.type}</td>
              <td>{e.outcome}</td>
              <td>{e.actor_id ? <Link to={`/users/${e.actor_id}`}>{e.actor_id.slice(0, 8)}</Link> : '—'}</td>
              <td>
                {e.target_id ? <Link to={`/users/${e.target_id}`}>{e.target_id.slice(0, 8)}</Link> : '—'}
              </td>
              <td>{e.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AuditPage() {
  // Filters can come in the address (the overview links here with ?type= and ?since=).
  const initial = new URLSearchParams(window.location.search);
  const [form, setForm] = useState({
    type: initial.get('type') ?? '',
    user_id: initial.get('user_id') ?? '',
    since: initial.get('since') ?? '',
    until: initial.get('until') ?? '',
  });
  const [filters, setFilters] = useState(form);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; events: AuditEvent[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    const iso = (d: string, end: boolean) =>
      d ? new Date(`${d}T${end ? '23:59:59' : '00:00:00'}`).toISOString() : undefined;
    call<{ total: number; events: AuditEvent[] }>(
      'GET',
      `/audit${qs({
        offset,
        limit: LIMIT,
        type: filters.type,
        user_id: filters.user_id,
        since: iso(filters.since, false),
        until: iso(filters.until, true),
      })}`,
    )
      .then((p) => live && setPage(p))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filters, offset]);

  const input = (key: keyof typeof form, label: string, type = 'text') => (
    <Field label={label} id={`audit-${key}`}>
      <input
        id={`audit-${key}`}
        type={type}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </Field>
  );

  return (
    <section>
      <h1>Audit log</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilters({ ...form, type: form.type.trim(), user_id: form.user_id.trim() });
        }}
      >
        {input('type', 'Event type (e.g. signin_failed)')}
        {input('user_id', 'User id')}
        {input('since', 'From', 'date')}
        {input('until', 'To', 'date')}
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={error} />
      {loading && <Loading what="Loading events" />}
      {page && (
        <>
          <p>{page.total.toLocaleString()} events</p>
          <AuditTable events={page.events} />
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - LIMIT))}
            >
              Previous
            </button>
            <span>
              Page {Math.floor(offset / LIMIT) + 1} of {Math.max(1, Math.ceil(page.total / LIMIT))}
            </span>
            <button
              type="button"
              disabled={offset + LIMIT >= page.total}
              onClick={() => setOffset(offset + LIMIT)}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
