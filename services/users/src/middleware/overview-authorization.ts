import { AuthorizationError } from '../errors';
import type { OverviewData, OverviewService } from '../domain/overview';
import type { Ctx } from '../service';

/** Decorator: admins and owners only (the figures describe every account). */
export class AuthorizedOverview implements OverviewService {
  constructor(private readonly inner: OverviewService) {}

  async overview(ctx: Ctx): Promise<OverviewData> {
    const role = ctx.caller?.role;
    if (role !== 'admin' && role !== 'owner') throw new AuthorizationError('admins and owners only');
    return this.inner.overview(ctx);
  }
}
