import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, call, plain, rank, whenSignedOut, type User } from './api';
import { Link, navigate, useLocation } from './router';
import { Loading } from './ui';
import { ChangePasswordForm, SignInPage } from './pages/sign-in';
import { AccountPage } from './pages/account';
import { UsersPage } from './pages/users';
import { UserPage } from './pages/user';
import { NewUserPage } from './pages/new-user';
import { AuditPage } from './pages/audit';
import { OverviewPage } from './pages/overview';
import './styles.css';

type Me =
  | { state: 'loading' }
  | { state: 'out'; reason?: string }
  | { state: 'must-change' }
  | { state: 'in'; user: User };

function App() {
  const { path, search } = useLocation();
  const [me, setMe] = useState<Me>({ state: 'loading' });

  const load = useCallback(async () => {
    try {
      const { signed_in } = await call<{ signed_in: boolean }>('GET', '/session');
      if (!signed_in) return setMe({ state: 'out' });
      setMe({ state: 'in', user: await call<User>('GET', '/users/profile') });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'password_change_required') setMe({ state: 'must-change' });
      else setMe({ state: 'out', reason: e instanceof ApiError && e.status === 401 ? undefined : plain(e) });
    }
  }, []);

  useEffect(() => {
    whenSignedOut((reason) => setMe({ state: 'out', reason }));
    void load();
  }, [load]);

  // Not signed in: the sign-in page, then back to the page asked for.
  useEffect(() => {
    if (me.state === 'out' && path !== '/sign-in') {
      const next = path + window.location.search;
      navigate(`/sign-in?next=${encodeURIComponent(next)}`, true);
    }
  }, [me, path]);

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'out' || path === '/sign-in') {
    if (me.state === 'in') return <Redirect to={safeNext(search.get('next'))} />;
    return (
      <SignInPage
        reason={me.state === 'out' ? me.reason : undefined}
        onSignedIn={async () => {
          await load();
          navigate(safeNext(search.get('next')), true);
        }}
      />
    );
  }
  if (me.state === 'must-change')
    return (
      <main className="narrow" id="main">
        <h1>Choose a new password</h1>
        <p>You signed in with a temporary password. Choose your own password to continue.</p>
        <ChangePasswordForm
          onChanged={async () => {
            await load();
            navigate('/account', true);
          }}
        />
        <SignOutButton />
      </main>
    );
  return <Shell user={me.user} path={path} reload={load} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return <Loading />;
}

/** Only paths inside the dashboard are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

function SignOutButton() {
  return (
    <button
      type="button"
      className="link-button"
      onClick={() =>
        void call('DELETE', '/session').finally(() => {
          window.location.assign(
            `${document.querySelector<HTMLMetaElement>('meta[name="usher-base"]')?.content ?? '/dashboard/'}sign-in`,
          );
        })
      }
    >
      Sign out
    </button>
  );
}

function Shell({ user, path, reload }: { user: User; path: string; reload: () => Promise<void> }) {
  const admin = rank(user.role) >= rank('admin');
  let page;
  const userMatch = /^\/users\/([0-9a-f-]{36})$/.exec(path);
  if (path === '/' || path === '') return <Redirect to={admin ? '/overview' : '/account'} />;
  else if (path === '/account') page = <AccountPage me={user} reload={reload} />;
  else if (!admin && (path.startsWith('/users') || path === '/audit' || path === '/overview'))
    page = (
      <section>
        <h1>Not available</h1>
        <p>This page is for administrators. Your role is {user.role}.</p>
        <Link to="/account">Go to My account</Link>
      </section>
    );
  else if (path === '/users') page = <UsersPage />;
  else if (path === '/users/new') page = <UsersNew me={user} />;
  else if (userMatch) page = <UserPage id={userMatch[1]!} me={user} />;
  else if (path === '/audit') page = <AuditPage />;
  else if (path === '/overview') page = <OverviewPage />;
  else
    page = (
      <section>
        <h1>Page not found</h1>
        <Link to="/">Go to the start page</Link>
      </section>
    );
  const nav = (to: string, label: string) => (
    <li>
      <Link
        to={to}
        aria-current={path === to || (to !== '/' && path.startsWith(to + '/')) ? 'page' : undefined}
      >
        {label}
      </Link>
    </li>
  );
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Usher</span>
        <nav aria-label="Main">
          <ul>
            {admin && nav('/overview', 'Overview')}
            {admin && nav('/users', 'Users')}
            {admin && nav('/audit', 'Audit log')}
            {nav('/account', 'My account')}
          </ul>
        </nav>
        <span className="who">
          {user.credentials.username} ({user.role}) <SignOutButton />
        </span>
      </header>
      <main id="main">{page}</main>
    </>
  );
}

function UsersNew({ me }: { me: User }) {
  return <NewUserPage me={me} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
