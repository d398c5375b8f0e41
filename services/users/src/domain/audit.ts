import type { AuditLog } from '../ports';
import type { AuditType, Ctx } from '../service';

/** Appends one audit entry for a call; the actor and client come from its context. */
export function audit(
  log: AuditLog,
  ctx: Ctx,
  type: AuditType,
  targetId: string | null,
  details: Record<string, unknown> = {},
  outcome: 'success' | 'failure' = 'success',
): Promise<void> {
  return log.append({
    type,
    outcome,
    actorId: ctx.caller?.userId ?? null,
    targetId,
    ip: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    details,
  });
}
