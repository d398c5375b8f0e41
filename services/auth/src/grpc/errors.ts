import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@usher/telemetry';
import { AuthenticationError, UsherError, type ErrorKind } from '../errors';

// The only place error kinds become gRPC status codes.
const codeOf: Record<ErrorKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  forbidden: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  conflict: grpc.status.ALREADY_EXISTS,
  limit_exceeded: grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
  internal: grpc.status.INTERNAL,
};

/** A status for the caller; anything unexpected is logged here and answered with a generic INTERNAL. */
export function toGrpcError(err: unknown, method: string, logger: Logger): Partial<grpc.StatusObject> {
  if (err instanceof UsherError && err.kind !== 'internal') {
    const status: Partial<grpc.StatusObject> = { code: codeOf[err.kind], details: err.message };
    if (err instanceof AuthenticationError && err.detail) status.metadata = reasonMetadata(err.detail);
    return status;
  }
  logger.error({ err, grpc_method: method }, 'unexpected error in auth gRPC call');
  return { code: grpc.status.INTERNAL, details: 'internal error' };
}

/** Trailing metadata saying why a credential was refused: ids for the caller's audit, never a token. */
function reasonMetadata(detail: NonNullable<AuthenticationError['detail']>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('usher-reason', detail.reason);
  if (detail.userId) metadata.set('usher-user-id', detail.userId);
  if (detail.sessionId) metadata.set('usher-session-id', detail.sessionId);
  return metadata;
}
