import * as grpc from '@grpc/grpc-js';
import { Counter, type Logger, type Registry } from '@usher/telemetry';
import { allows } from './permissions';
import { identify, printable, type CallerPolicy } from './callers';

export const AUTH_SERVICE_PREFIX = '/usher.auth.v1.AuthService/';
const HEALTH_PREFIX = '/grpc.health.v1.Health/';
export const CALLER_UNAUTHENTICATED = 'caller_unauthenticated';
export const CALLER_FORBIDDEN = 'caller_forbidden';

/**
 * Every call but grpc.health.v1 must come from a named caller (UNAUTHENTICATED otherwise) whose
 * permission sets allow the method (PERMISSION_DENIED otherwise). Runs before any handler, unary
 * or streaming; each refusal is logged with caller and method (never a secret) and counted.
 */
export function callerInterceptor(
  policy: CallerPolicy,
  logger: Logger,
  registry?: Registry,
): grpc.ServerInterceptor {
  const refused = registry
    ? new Counter({
        name: 'usher_auth_grpc_calls_refused_total',
        help: 'AuthService calls refused before the handler: unknown or unproven caller, or method outside its permission sets',
        labelNames: ['code', 'method', 'caller'] as const,
        registers: [registry],
      })
    : undefined;

  return (descriptor, call) => {
    const path = descriptor.path;
    if (path.startsWith(HEALTH_PREFIX)) return new grpc.ServerInterceptingCall(call);
    const method = path.startsWith(AUTH_SERVICE_PREFIX) ? path.slice(AUTH_SERVICE_PREFIX.length) : path;

    const refuse = (code: grpc.status, details: string, caller: string, known: boolean, reason: string) => {
      logger.warn(
        { caller, grpc_method: method, grpc_code: grpc.status[code], reason, peer: call.getPeer() },
        'auth gRPC call refused',
      );
      // only configured names become label values: claimed ones are attacker-chosen
      refused?.inc({
        code: grpc.status[code],
        method: printable(method),
        caller: known ? caller : 'unknown',
      });
      // the reason tells the caller's client this refusal is about the caller, not a token it checked
      const metadata = new grpc.Metadata();
      metadata.set(
        'usher-reason',
        code === grpc.status.UNAUTHENTICATED ? CALLER_UNAUTHENTICATED : CALLER_FORBIDDEN,
      );
      call.sendStatus({ code, details, metadata });
    };

    let refusedCall = false;
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        refusedCall = true;
        const who = identify(policy, metadata, call.getAuthContext().sslPeerCertificate);
        if (!who.ok) {
          const caller = who.claimed ? printable(who.claimed) : 'anonymous';
          refuse(grpc.status.UNAUTHENTICATED, 'caller not authenticated', caller, false, who.reason);
          return;
        }
        const sets = policy.clients.get(who.name) ?? [];
        if (!path.startsWith(AUTH_SERVICE_PREFIX) || !allows(sets, method)) {
          refuse(
            grpc.status.PERMISSION_DENIED,
            `caller ${who.name} may not call ${method}`,
            who.name,
            true,
            'method outside the permission sets',
          );
          return;
        }
        refusedCall = false;
        next(metadata);
      })
      // a refused call never reaches the handler, whatever the client sends after its metadata
      .withOnReceiveMessage((message, next) => {
        if (!refusedCall) next(message);
      })
      .withOnReceiveHalfClose((next) => {
        if (!refusedCall) next();
      })
      .build();
    const responder = new grpc.ResponderBuilder().withStart((next) => next(listener)).build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}
