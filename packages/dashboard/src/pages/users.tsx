import { useEffect, useState } from 'react';
import { call, qs, ROLES, type UsersPage as Page } from '../api';
import { Link } from '../router';
import { ErrorBox, Field, Loading, fmt } from '../ui';

const LIMIT = 20;
const SEARCH_FIELDS = [
  ['email', 'Email'],
  ['username', 'Username'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
] as const;
type SortField = 'created_at' | 'email' | 'username' | 'first_name' | 'last_name';

export function UsersPage() {
  // Filters can come in the address (the overview links here with ?role= and ?status=).
  const initial = new URLSearchParams(window.location.search);
  const [searchField, setSearchField] = useState<string>('email');
  const [text, setText] = useState('');
  const [query, setQuery] = useState({ field: 'email', text: '' });
  const [status, setStatus] = useState(initial.get('status') || 'all');
  const [role, setRole] = useState(initial.get('role') || '');
  const [order, setOrder] = useState<SortField>('created_at');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    call<Page>(
      'GET',
      `/users${qs({ offset, limit: LIMIT, status, role, order, dir, [query.field]: query.text || undefined })}`,
    )
      .then((p) => live && setPage(p))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [offset, status, role, order, dir, query]);

  const sortBy = (f: SortField) => {
    if (order === f) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setOrder(f);
      setDir(f === 'created_at' ? 'desc' : 'asc');
    }
    setOffset(0);
  };
  const header = (f: SortField, label: string) => (
    <th scope="col" aria-sort={order === f ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => sortBy(f)}>
        {label} {order === f ? (dir === 'asc' ? '▲' : '▼') : ''}
      </button>
    </th>
  );

  return (
    <section>
      <div className="title-row">
        <h1>Users</h1>
        <Link to="/users/new" className="button">
          Add user
        </Link>
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQuery({ field: searchField, text: text.trim() });
        }}
      >
        <Field label="Search in" id="search-field">
          <select id="search-field" value={searchField} onChange={(e) => setSearchField(e.target.value)}>
            {SEARCH_FIELDS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Search" id="search-text">
          <input id="search-text" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <button type="submit">Search</button>
        <Field label="Status" id="filter-status">
          <select
            id="filter-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="all">All</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
            <option value="deleted">Deleted</option>
          </select>
        </Field>
        <Field label="Role" id="filter-role">
          <select
            id="filter-role"
            value={role}
            onChange={(e) => {
              setRole(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorBox error={error} />
      {loading && <Loading what="Loading users" />}
      {page && (
        <>
          <p data-testid="users-total">
            {page.total.toLocaleString()} user{page.total === 1 ? '' : 's'}
            {page.total > 0 && ` — showing ${page.offset + 1}–${page.offset + page.users.length}`}
          </p>
          <div className="scroll">
            <table className="users">
              <thead>
                <tr>
                  {header('first_name', 'Name')}
                  {header('email', 'Email')}
                  {header('username', 'Username')}
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  {header('created_at', 'Created')}
                </tr>
              </thead>
              <tbody>
                {page.users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/users/${u.id}`}>
                        {`${u.first_name} ${u.last_name}`.trim() || '(no name)'}
                      </Link>
                    </td>
                    <td>{u.email}</td>
                    <td>{u.credentials.username}</td>
                    <td>{u.role}</td>
                    <td>{u.status}</td>
                    <td>{fmt(u.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
