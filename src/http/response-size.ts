import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

/** The largest GraphQL response body sent (README "Limits"); a bigger one is replaced by a small error. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/**
 * Wraps `res.send`, where Apollo's Express integration writes the body it serialised: its length is measured, never
 * re-serialised. UTF-8 takes 1 to 3 bytes per UTF-16 unit, so most bodies are decided by `length` alone.
 */
export function responseSizeGuard(log: Logger, maxBytes = MAX_RESPONSE_BYTES): RequestHandler {
  const tooLarge = (s: string) => s.length > maxBytes || (s.length * 3 > maxBytes && Buffer.byteLength(s) > maxBytes);
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body !== 'string' || !tooLarge(body)) return send(body);
      const bytes = Buffer.byteLength(body);
      log.warn({ requestId: requestIdOf(res), bytes, maxBytes }, 'graphql response too large: not sent');
      const message = `The response (${bytes} bytes) exceeds the limit of ${maxBytes} bytes and was not sent (the operation itself ran): ask for fewer items (first) or fewer fields.`;
      return send(JSON.stringify({ errors: [{ message, extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes } }], data: null }));
    };
    next();
  };
}
