import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@usher/telemetry';
import { UsherError, type ErrorKind } from '../errors';

// The only place error kinds become gRPC status codes.
const codeOf: Record<ErrorKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  forbidden: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  conflict: grpc.status.ALREADY_EXISTS,
  internal: grpc.status.INTERNAL,
};

/** A status for the caller; anything unexpected is logged here and answered with a generic INTERNAL. */
export function toGrpcError(err: unknown, method: string, logger: Logger): Partial<grpc.StatusObject> {
  if (err instanceof UsherError && err.kind !== 'internal') {
    return { code: codeOf[err.kind], details: err.message };
  }
  logger.error({ err, grpc_method: method }, 'unexpected error in auth gRPC call');
  return { code: grpc.status.INTERNAL, details: 'internal error' };
}
