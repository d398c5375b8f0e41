import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '@usher/telemetry';
import { LockedError, UsherError, ValidationError, type ErrorKind } from '../errors';

// The only place HTTP statuses are chosen for domain errors.
const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
};

/** Turns a zod failure into a ValidationError naming the first offending field. */
export function fromZod(error: ZodError): ValidationError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return new ValidationError(issue.message, field || undefined);
}

export function sendError(res: Response, status: number, error: string, message: string) {
  res.status(status).json({ error, message });
}

/** Express error handler: typed errors -> `{error, message}`; anything unexpected -> a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof ZodError) err = fromZod(err);
    if (err instanceof UsherError) {
      if (err.kind === 'unavailable') res.setHeader('Retry-After', '1');
      if (err instanceof LockedError) {
        res.setHeader('Retry-After', String(err.retryAfter));
        return res.status(423).json({ error: err.code, message: err.message, retry_after: err.retryAfter });
      }
      if (err.kind === 'internal') logger.error({ err, path: req.path }, 'internal error');
      const status = statusOf[err.kind];
      return sendError(res, status, err.code, status === 500 ? 'internal server error' : err.message);
    }
    // body-parser failures carry their own status and type.
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed')
      return sendError(res, 400, 'malformed_body', 'request body is not valid JSON');
    if (e.type === 'entity.nul')
      return sendError(res, 400, 'invalid_request', 'request body contains a NUL character');
    if (e.type === 'entity.too.large')
      return sendError(res, 413, 'body_too_large', 'request body is too large');
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      return sendError(res, 415, 'unsupported_media_type', 'unsupported body encoding');
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendError(res, e.status, 'bad_request', 'bad request');
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    return sendError(res, 500, 'internal', 'internal server error');
  };
}
