import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';

/** What a proxy or client may name a request with; anything else (too long, odd characters) is replaced. */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** First middleware: the request's id, from a sane `x-request-id` or a new uuid, is echoed on every answer. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    const id = given && SANE.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

export const requestIdOf = (res: Response): string => res.locals.requestId;
