import { Router, type RequestHandler } from 'express';
import type { OverviewData, OverviewService, SignInSeries } from '../domain/overview';
import { signedInCtx, type Authenticator } from './context';
import { toAuditDto } from './encode';
import { handle } from './handle';

const series = (s: SignInSeries) => ({
  succeeded: s.succeeded,
  failed: s.failed,
  lockouts: s.lockouts,
  buckets: s.buckets.map((b) => ({
    start: b.start.toISOString(),
    succeeded: b.succeeded,
    failed: b.failed,
    lockouts: b.lockouts,
  })),
});

export const toOverviewDto = (o: OverviewData) => {
  const byRole: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const { role, status, count } of o.usersByRoleStatus) {
    byRole[role] = (byRole[role] ?? 0) + count;
    byStatus[status] = (byStatus[status] ?? 0) + count;
  }
  return {
    generated_at: o.generatedAt.toISOString(),
    sign_ins: { last_24h: series(o.signInsByHour), last_30d: series(o.signInsByDay) },
    new_users: {
      last_30d: o.newUsersByDay.reduce((n, d) => n + d.count, 0),
      buckets: o.newUsersByDay.map((d) => ({ start: d.start.toISOString(), count: d.count })),
    },
    users: {
      total: o.usersByRoleStatus.reduce((n, r) => n + r.count, 0),
      by_role: byRole,
      by_status: byStatus,
      by_role_status: o.usersByRoleStatus,
    },
    active_sessions: o.activeSessions,
    security_events: o.securityEvents.map(toAuditDto),
  };
};

/** GET /stats/overview (admins and owners): the dashboard's landing page, aggregated in SQL. */
export function overviewRoutes(overview: OverviewService | undefined, authn: Authenticator): Router {
  const r = Router();
  const present: RequestHandler = (_req, _res, next) => (overview ? next() : next('router'));
  r.get(
    '/stats/overview',
    present,
    authn.required,
    handle(async (req) => ({ status: 200, body: toOverviewDto(await overview!.overview(signedInCtx(req))) })),
  );
  return r;
}
