import pino from 'pino';
import pretty from 'pino-pretty';

/** What every line of one request carries; the site once the request names it. */
export interface RequestLogContext {
  requestId: string;
  /** `admin:<id>`, `visitor`, `anonymous`, `gateway`: never an email. */
  actor: string;
  siteId?: string;
  /** The payment provider whose webhook this is. */
  provider?: string;
}

const CONTEXT = Symbol('request log context');
type Scoped = { [CONTEXT]?: RequestLogContext };

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  // The request's context as a mixin rather than child bindings: a line naming its own siteId (the domain's often do)
  // keeps it, instead of printing the key twice in one JSON object.
  mixin: (_line, _level, log) => ({ ...(log as Scoped)[CONTEXT] }),
};

/** JSON lines on stdout; LOG_FORMAT=pretty prints human lines instead, for a terminal (never for a log collector). */
export const logger = process.env.LOG_FORMAT === 'pretty' ? pino(options, pretty({ sync: true })) : pino(options);
export type Logger = typeof logger;

/** A child whose every line carries `context`: the request's own lines and what the domain logs through `deps.log`. */
export function requestLogger(log: Logger, context: RequestLogContext): Logger {
  const child = log.child({});
  (child as Scoped)[CONTEXT] = context;
  return child;
}

/** The context of a request logger, to add what becomes known later (the site); none for other loggers. */
export function requestLogContext(log: Logger): RequestLogContext | undefined {
  return (log as Scoped)[CONTEXT];
}
