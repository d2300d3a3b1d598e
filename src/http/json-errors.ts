import type { ErrorRequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';
import { requestLogger, type Logger } from '../logger';
import { requestIdOf } from './request-id';
import { databaseUnreachable, serviceUnavailableBody } from './service-unavailable';

/** `Payload Too Large` -> `PAYLOAD_TOO_LARGE`: a stable code per status. */
const codeOf = (status: number) => (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');

/**
 * Last in the chain: whatever error reaches it (a body parser's 413/415/400, a handler's fault) is answered as JSON
 * and logged as one JSON line. Express's own page is HTML, with the stack and absolute paths outside production,
 * and prints the stack on stderr. A 4xx keeps its message (body-parser's are written for clients); a fault says nothing;
 * the database out of reach is a 503 the client may retry.
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = (typeof err === 'object' && err) || {};
    const status = e.expose === true && Number.isInteger(e.status) && e.status >= 400 && e.status < 500 ? e.status : 500;
    const reqLog = requestLogger(log, { requestId: requestIdOf(res), actor: 'anonymous' });
    const unreachable = databaseUnreachable(err);
    if (unreachable) {
      reqLog.error({ method: req.method, path: req.path.slice(0, 200), status: 503, reason: unreachable }, 'database unreachable');
      if (res.headersSent) return void res.destroy();
      return void res.status(503).json(serviceUnavailableBody());
    }
    const fields = { method: req.method, path: req.path.slice(0, 200), status, type: e.type };
    if (status >= 500) reqLog.error({ ...fields, err }, 'request failed');
    else reqLog.warn({ ...fields, reason: e.message }, 'request refused');
    // Too late for an answer of our own: the client gets a cut connection rather than Express's page.
    if (res.headersSent) return void res.destroy();
    res.status(status).json({ error: status >= 500 ? 'internal error' : String(e.message ?? codeOf(status)), code: codeOf(status) });
  };
}
