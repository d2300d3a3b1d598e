import { GraphQLError } from 'graphql';

/**
 * The database out of reach (restarting, failed over, the pool starved) is an outage, not a bug: the client gets
 * SERVICE_UNAVAILABLE and a plain message to try again, a webhook gets 503 so the gateway delivers it again, and
 * the log gets one line with the driver's reason. Nothing of the error (message, stack) reaches the client.
 */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; try again shortly';

/** Socket errors of a connection refused, cut or unanswered. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATE: 57P01 admin_shutdown (terminating connection), 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08 connection_exception. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
/**
 * node-postgres says these without a code once its socket is gone (MikroORM puts the statement in front). Knex says
 * the last one when a BEGIN failed on a dead connection: its own race hands the transaction out anyway and loses the
 * connection's error (seen in test/faults/postgres-restart.test.ts). Our code never reuses a finished transaction:
 * MikroORM's transactional() owns BEGIN, COMMIT and ROLLBACK.
 */
// pg-pool's own timeouts too: a database that does not answer at all (blackholed) is as unreachable as one that refuses.
const CLIENT_MESSAGES =
  /(^|- )(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Transaction query already complete|timeout exceeded when trying to connect|Query read timeout)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

function says(e: ErrorLike): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  // Knex's pool gave up waiting for a connection (its acquire timeout); MikroORM's own class for connection faults.
  if (e.name === 'KnexTimeoutError' || e.name === 'ConnectionException') return true;
  return typeof e.message === 'string' && CLIENT_MESSAGES.test(e.message);
}

/**
 * The reason when `err`, or an error it wraps (GraphQL's originalError, a cause, an AggregateError's errors),
 * says the database could not be reached; null for anything else.
 */
export function databaseUnreachable(err: unknown, depth = 0): string | null {
  if (typeof err !== 'object' || err === null || depth > 5) return null;
  const e = err as ErrorLike;
  if (says(e)) {
    // The driver's own words only: MikroORM's message starts with the statement, and its values may be a shopper's.
    const message = typeof e.message === 'string' ? e.message.slice(e.message.lastIndexOf(' - ') + 1).replace(/^- /, '') : '';
    return [e.code, message].filter((s) => typeof s === 'string' && s).join(': ') || String(e.name);
  }
  const inner = [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const next of inner) {
    const reason = databaseUnreachable(next, depth + 1);
    if (reason) return reason;
  }
  return null;
}

/** The GraphQL error of an outage; Apollo answers 503 when it happens before execution (building the context). */
export const serviceUnavailable = () =>
  new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, { extensions: { code: SERVICE_UNAVAILABLE, http: { status: 503 } } });

/** The JSON body of a 503 outside GraphQL (webhooks, other routes). */
export const serviceUnavailableBody = () => ({ error: SERVICE_UNAVAILABLE_MESSAGE, code: SERVICE_UNAVAILABLE });
