// Typed errors of the users domain. Each transport maps `kind` to a status in exactly one place
// (src/http/errors.ts); the domain never chooses a status code.
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'unprocessable'
  | 'unavailable'
  | 'internal';

export abstract class UsherError extends Error {
  abstract readonly kind: ErrorKind;
  /** Short machine-readable code for the `error` field of responses. */
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends UsherError {
  readonly kind = 'invalid';
  readonly code = 'invalid_request';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
}

export class AuthenticationError extends UsherError {
  readonly kind = 'unauthenticated';
  readonly code = 'unauthenticated';
}

export class AuthorizationError extends UsherError {
  readonly kind = 'forbidden';
  readonly code = 'forbidden';
}

/** The account must set a new password first: its session came from a temporary password. */
export class PasswordChangeRequiredError extends UsherError {
  readonly kind = 'forbidden';
  readonly code = 'password_change_required';
  constructor(message = 'change your temporary password first: PATCH /users/secret') {
    super(message);
  }
}

/** USHER_USERS_ALLOW_UNVERIFIED_USER=false and the account's email address is not verified yet. */
export class EmailNotVerifiedError extends UsherError {
  readonly kind = 'forbidden';
  readonly code = 'email_not_verified';
  constructor(message = 'verify your email address first: POST /users/send-verification') {
    super(message);
  }
}

/** A self-service change of a sign-in factor (the email) needs a recent sign-in or the current secret. */
export class ReauthenticationRequiredError extends UsherError {
  readonly kind = 'forbidden';
  readonly code = 'reauthentication_required';
}

export class NotFoundError extends UsherError {
  readonly kind = 'not_found';
  readonly code = 'not_found';
}

export class ConflictError extends UsherError {
  readonly kind = 'conflict';
  readonly code = 'conflict';
}

/** The request is understood but changes nothing: enabling an enabled user (Magistrala answers 422). */
export class StatusUnchangedError extends UsherError {
  readonly kind = 'unprocessable';
  readonly code = 'status_already_assigned';
}

export class LockedError extends UsherError {
  readonly kind = 'locked';
  readonly code = 'account_locked';
  constructor(
    message: string,
    /** Seconds until the lock ends. */
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

export class UnavailableError extends UsherError {
  readonly kind = 'unavailable';
  readonly code = 'unavailable';
}

/** The one answer to an emailed token that is unknown, spent, expired or meant for another route. */
export const invalidEmailToken = () => new AuthenticationError('invalid or expired token');

/** The one answer to a failed sign-in, whatever failed: it must not reveal whether the account exists. */
export const invalidCredentials = () => new AuthenticationError('invalid identity or secret');
