import type { RoleName } from '@usher/contracts';
import type { AuditEntry, Ctx, UserStatus } from '../service';

/** Sign-in outcomes in one time bucket (an hour or a UTC day). */
export interface SignInBucket {
  start: Date;
  succeeded: number;
  failed: number;
  lockouts: number;
}

export interface SignInSeries {
  succeeded: number;
  failed: number;
  lockouts: number;
  buckets: SignInBucket[];
}

/** What the admin landing page shows; every figure is computed by the database. */
export interface OverviewData {
  generatedAt: Date;
  /** Last 24 hours by hour, oldest first (24 buckets, the last one is the current hour). */
  signInsByHour: SignInSeries;
  /** Last 30 days by UTC day, oldest first (30 buckets, the last one is today). */
  signInsByDay: SignInSeries;
  /** Accounts created per UTC day over the same 30 days. */
  newUsersByDay: { start: Date; count: number }[];
  usersByRoleStatus: { role: RoleName; status: UserStatus; count: number }[];
  /** Live sessions across all users, or null when the auth service cannot say. */
  activeSessions: number | null;
  /** The newest security-relevant audit entries. */
  securityEvents: AuditEntry[];
}

/** The SQL side (postgres/overview-queries.ts). */
export interface OverviewQueries {
  signIns(unit: 'hour' | 'day', buckets: number, now: Date): Promise<SignInBucket[]>;
  newUsers(buckets: number, now: Date): Promise<{ start: Date; count: number }[]>;
  usersByRoleStatus(): Promise<{ role: RoleName; status: UserStatus; count: number }[]>;
  securityEvents(limit: number): Promise<AuditEntry[]>;
}

/** The overview subdomain (GET /stats/overview). */
export interface OverviewService {
  overview(ctx: Ctx): Promise<OverviewData>;
}

const total = (buckets: SignInBucket[]): SignInSeries => ({
  succeeded: buckets.reduce((n, b) => n + b.succeeded, 0),
  failed: buckets.reduce((n, b) => n + b.failed, 0),
  lockouts: buckets.reduce((n, b) => n + b.lockouts, 0),
  buckets,
});

export class Overview implements OverviewService {
  constructor(
    private readonly queries: OverviewQueries,
    /** Counts live sessions in the auth service; absent or failing means "unknown". */
    private readonly activeSessions?: () => Promise<number>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async overview(_ctx: Ctx): Promise<OverviewData> {
    const now = this.now();
    const [byHour, byDay, newUsers, roles, events, sessions] = await Promise.all([
      this.queries.signIns('hour', 24, now),
      this.queries.signIns('day', 30, now),
      this.queries.newUsers(30, now),
      this.queries.usersByRoleStatus(),
      this.queries.securityEvents(10),
      this.activeSessions ? this.activeSessions().catch(() => null) : Promise.resolve(null),
    ]);
    return {
      generatedAt: now,
      signInsByHour: total(byHour),
      signInsByDay: total(byDay),
      newUsersByDay: newUsers,
      usersByRoleStatus: roles,
      activeSessions: sessions,
      securityEvents: events,
    };
  }
}
