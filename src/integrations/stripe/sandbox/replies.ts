/** Answers in Stripe's shapes, serialised once so an idempotent replay is byte-identical even after the object changed. */
import { randomBytes } from 'node:crypto';

export interface Reply {
  status: number;
  body: string;
}

export const rand = (): string => randomBytes(12).toString('hex');
export const now = (): number => Math.floor(Date.now() / 1000);

export const ok = (object: unknown): Reply => ({ status: 200, body: JSON.stringify(object) });

/** Fields Stripe adds to some errors: the culprit param, a card's decline code, the intent it concerns. */
export interface ErrorDetails {
  param?: string;
  decline_code?: string;
  payment_intent?: unknown;
}

export function stripeError(status: number, code: string | undefined, message: string, details: ErrorDetails = {}): Reply {
  const type = status === 402 ? 'card_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return { status, body: JSON.stringify({ error: { type, code, message, ...details } }) };
}

export const missing = (param: string): Reply => stripeError(400, 'parameter_missing', `Missing required param: ${param}.`, { param });

export const invalidInteger = (param: string, value: unknown): Reply =>
  stripeError(400, 'parameter_invalid_integer', `Invalid integer: ${String(value)}`, { param });

export const noSuch = (resource: string, id: string, param?: string): Reply =>
  stripeError(404, 'resource_missing', `No such ${resource}: '${id}'`, { param });

export const unexpectedState = (message: string, intent?: unknown): Reply =>
  stripeError(400, 'payment_intent_unexpected_state', message, { payment_intent: intent });

export const idempotencyError = (message: string): Reply => ({
  status: 400,
  body: JSON.stringify({ error: { type: 'idempotency_error', message } }),
});
