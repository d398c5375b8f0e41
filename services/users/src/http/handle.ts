import type { Request, RequestHandler } from 'express';

export interface Reply {
  status: number;
  body?: unknown;
  location?: string;
}

/** Wraps an async handler: express 5 forwards rejections (ZodError, UsherError) to the error handler. */
export const handle =
  (fn: (req: Request) => Promise<Reply>): RequestHandler =>
  async (req, res) => {
    const out = await fn(req);
    if (out.location) res.location(out.location);
    if (out.body === undefined) res.status(out.status).end();
    else res.status(out.status).json(out.body);
  };

/** Bodies are JSON only: anything else is refused with 415 before it is read. */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'unsupported_media_type', message: 'send the body as application/json' });
    return;
  }
  next();
};
