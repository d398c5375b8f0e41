// Typed domain errors; each transport maps `kind` to its own status in exactly one place.
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'limit_exceeded'
  | 'unavailable'
  | 'internal';

export abstract class UsherError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request field is missing or malformed; `field` names it for the caller. */
export class ValidationError extends UsherError {
  readonly kind = 'invalid';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Why a credential was refused, for the caller's audit; ids only, never a secret. */
export interface AuthenticationDetail {
  reason: string;
  userId?: string;
  sessionId?: string;
}

/** The credential is missing, invalid, expired or revoked. Messages stay generic on purpose. */
export class AuthenticationError extends UsherError {
  readonly kind = 'unauthenticated';
  constructor(
    message: string,
    readonly detail?: AuthenticationDetail,
  ) {
    super(message);
  }
}

export class AuthorizationError extends UsherError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends UsherError {
  readonly kind = 'not_found';
}

export class ConflictError extends UsherError {
  readonly kind = 'conflict';
}

/** A per-user quota (e.g. live API keys) is used up. */
export class LimitExceededError extends UsherError {
  readonly kind = 'limit_exceeded';
}

/** This replica cannot answer safely right now (e.g. its revocations are stale); retry elsewhere. */
export class UnavailableError extends UsherError {
  readonly kind = 'unavailable';
}

/** Something that should not happen; the transport logs it and answers with a generic message. */
export class InternalError extends UsherError {
  readonly kind = 'internal';
}
