import { useEffect, useMemo, useState } from 'react';
import { call, qs, ROLES, type AuditEvent } from '../api';
import { BarChart } from '../charts';
import { Link } from '../router';
import { ErrorBox, Loading } from '../ui';
import { AuditTable } from './audit';

interface Bucket {
  start: string;
  succeeded: number;
  failed: number;
  lockouts: number;
}
interface SignIns {
  succeeded: number;
  failed: number;
  lockouts: number;
  buckets: Bucket[];
}
export interface Overview {
  generated_at: string;
  sign_ins: { last_24h: SignIns; last_30d: SignIns };
  new_users: { last_30d: number; buckets: { start: string; count: number }[] };
  users: { total: number; by_role: Record<string, number>; by_status: Record<string, number> };
  active_sessions: number | null;
  security_events: AuditEvent[];
}

const STATUSES = ['enabled', 'disabled', 'deleted'] as const;
const hourLabel = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const dayLabel = (iso: string) =>
  new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone: 'UTC' });
/** The audit page's `since` filter is a local date: the day `days` ago. */
const sinceDays = (days: number) => {
  const d = new Date(Date.now() - days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** A headline figure; a link to the list it counts when there is one. */
function Stat({ id, label, value, to }: { id: string; label: string; value: number | null; to?: string }) {
  const shown = value === null ? '—' : value.toLocaleString();
  return (
    <li className="stat">
      <span className="stat-label">{label}</span>
      {to ? (
        <Link to={to} className="stat-value" data-stat={id} aria-label={`${label}: ${shown}`}>
          {shown}
        </Link>
      ) : (
        <span className="stat-value" data-stat={id}>
          {shown}
        </span>
      )}
    </li>
  );
}

function signInSeries(s: SignIns) {
  return [
    { label: 'Succeeded', values: s.buckets.map((b) => b.succeeded), colorVar: '--ok' },
    { label: 'Failed', values: s.buckets.map((b) => b.failed), colorVar: '--danger' },
    { label: 'Lockouts', values: s.buckets.map((b) => b.lockouts), colorVar: '--warn' },
  ];
}

function Charts({ o }: { o: Overview }) {
  const charts = useMemo(
    () => ({
      hourLabels: o.sign_ins.last_24h.buckets.map((b) => hourLabel(b.start)),
      hour: signInSeries(o.sign_ins.last_24h),
      dayLabels: o.sign_ins.last_30d.buckets.map((b) => dayLabel(b.start)),
      day: signInSeries(o.sign_ins.last_30d),
      newLabels: o.new_users.buckets.map((b) => dayLabel(b.start)),
      news: [{ label: 'New users', values: o.new_users.buckets.map((b) => b.count), colorVar: '--accent' }],
    }),
    [o],
  );
  return (
    <div className="charts">
      <BarChart
        id="chart-signins-24h"
        label="Sign-ins, last 24 hours by hour"
        labels={charts.hourLabels}
        series={charts.hour}
      />
      <BarChart
        id="chart-signins-30d"
        label="Sign-ins, last 30 days by day (UTC)"
        labels={charts.dayLabels}
        series={charts.day}
      />
      <BarChart
        id="chart-new-users"
        label="New users per day, last 30 days (UTC)"
        labels={charts.newLabels}
        series={charts.news}
      />
    </div>
  );
}

function UsersBreakdown({ o }: { o: Overview }) {
  return (
    <div className="breakdown">
      <table>
        <caption>Users by role</caption>
        <tbody>
          {ROLES.map((r) => (
            <tr key={r}>
              <th scope="row">{r}</th>
              <td>
                <Link to={`/users${qs({ role: r, status: 'all' })}`} data-stat={`role-${r}`}>
                  {(o.users.by_role[r] ?? 0).toLocaleString()}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Users by status</caption>
        <tbody>
          {STATUSES.map((s) => (
            <tr key={s}>
              <th scope="row">{s}</th>
              <td>
                <Link to={`/users${qs({ status: s })}`} data-stat={`status-${s}`}>
                  {(o.users.by_status[s] ?? 0).toLocaleString()}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The admin landing page: what is happening, each figure a link to the list behind it. */
export function OverviewPage() {
  const [o, setO] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call<Overview>('GET', '/stats/overview')
      .then((v) => live && setO(v))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  if (error) return <ErrorBox error={error} />;
  if (!o) return <Loading what="Loading the overview" />;
  const day = o.sign_ins.last_24h;
  const month = o.sign_ins.last_30d;
  const audit = (type: string, days: number) => `/audit${qs({ type, since: sinceDays(days) })}`;
  return (
    <section className="overview">
      <h1>Overview</h1>
      <h2>Last 24 hours</h2>
      <ul className="stats">
        <Stat id="signins-24h" label="Sign-ins" value={day.succeeded} to={audit('signin_succeeded', 1)} />
        <Stat id="failed-24h" label="Failed sign-ins" value={day.failed} to={audit('signin_failed', 1)} />
        <Stat id="lockouts-24h" label="Lockouts" value={day.lockouts} to={audit('locked', 1)} />
        <Stat id="active-sessions" label="Active sessions" value={o.active_sessions} />
      </ul>
      <h2>Last 30 days</h2>
      <ul className="stats">
        <Stat id="signins-30d" label="Sign-ins" value={month.succeeded} to={audit('signin_succeeded', 30)} />
        <Stat id="failed-30d" label="Failed sign-ins" value={month.failed} to={audit('signin_failed', 30)} />
        <Stat id="lockouts-30d" label="Lockouts" value={month.lockouts} to={audit('locked', 30)} />
        <Stat
          id="new-users-30d"
          label="New users"
          value={o.new_users.last_30d}
          to={audit('user_created', 30)}
        />
        <Stat id="users-total" label="Users" value={o.users.total} to={`/users${qs({ status: 'all' })}`} />
      </ul>
      <Charts o={o} />
      <h2>Users</h2>
      <UsersBreakdown o={o} />
      <div className="title-row">
        <h2>Latest security events</h2>
        <Link to="/audit">All events</Link>
      </div>
      <AuditTable events={o.security_events} />
      <p className="muted">Figures as of {new Date(o.generated_at).toLocaleString()}.</p>
    </section>
  );
}
