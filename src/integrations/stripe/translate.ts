/**
 * Stripe's JSON in the domain's words: the payment intent, charge and dispute objects of webhook events and of the
 * API's answers. Only the fields listed are read; the owner metadata is whatever Stripe returns (checked later).
 */
import { MalformedEventError, type DisputeFacts, type IntentFacts, type IntentStatus, type RefundFacts } from '../../domain/order/ports';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const amountOrNull = (v: unknown): number | null => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null);

function amountOf(v: unknown, what: string): number {
  const amount = amountOrNull(v);
  if (amount === null) throw new MalformedEventError(`the ${what} has no integer amount`);
  return amount;
}

function currencyOf(o: Record<string, unknown>, what: string): string {
  if (typeof o.currency !== 'string' || !o.currency) throw new MalformedEventError(`the ${what} has no currency`);
  return o.currency.toUpperCase();
}

function ownerOf(o: Record<string, unknown>): Pick<IntentFacts, 'siteId' | 'orderId' | 'attemptId'> {
  const md = isObject(o.metadata) ? o.metadata : {};
  return { siteId: textOrNull(md.site_id), orderId: textOrNull(md.order_id), attemptId: textOrNull(md.attempt_id) };
}

/** A payment intent's facts: `amount` and `amount_received` are kept apart, so that both must match to confirm. */
export function intentFacts(pi: unknown): IntentFacts {
  if (!isObject(pi) || typeof pi.id !== 'string' || !pi.id) throw new MalformedEventError('the event has no payment intent with an id');
  return {
    id: pi.id,
    amountMinor: amountOf(pi.amount, 'payment intent'),
    amountReceivedMinor: amountOrNull(pi.amount_received),
    currency: currencyOf(pi, 'payment intent'),
    ...ownerOf(pi),
  };
}

/** The intent a charge or dispute belongs to: `payment_intent` is an id, or the expanded object. */
function intentIdOf(o: Record<string, unknown>, what: string): string {
  const pi = isObject(o.payment_intent) ? o.payment_intent.id : o.payment_intent;
  if (typeof pi !== 'string' || !pi) throw new MalformedEventError(`the ${what} names no payment intent`);
  return pi;
}

/** charge.refunded: the charge's intent and how much of what it captured is refunded so far. */
export function chargeRefund(charge: unknown): { intent: IntentFacts; refund: RefundFacts } {
  if (!isObject(charge)) throw new MalformedEventError('the event has no charge');
  const capturedMinor = amountOf(charge.amount_captured, 'charge');
  return {
    intent: {
      id: intentIdOf(charge, 'charge'),
      amountMinor: amountOf(charge.amount, 'charge'),
      amountReceivedMinor: capturedMinor,
      currency: currencyOf(charge, 'charge'),
      ...ownerOf(charge),
    },
    refund: { capturedMinor, refundedMinor: amountOf(charge.amount_refunded, 'charge') },
  };
}

/** charge.dispute.*: the disputed intent and the dispute's state. */
export function chargeDispute(dispute: unknown, closed: boolean): { intent: IntentFacts; dispute: DisputeFacts } {
  if (!isObject(dispute) || typeof dispute.id !== 'string' || !dispute.id) throw new MalformedEventError('the event has no dispute');
  if (typeof dispute.status !== 'string' || !dispute.status) throw new MalformedEventError('the dispute has no status');
  const amountMinor = amountOf(dispute.amount, 'dispute');
  return {
    intent: {
      id: intentIdOf(dispute, 'dispute'),
      amountMinor,
      amountReceivedMinor: null,
      currency: currencyOf(dispute, 'dispute'),
      ...ownerOf(dispute),
    },
    dispute: { id: dispute.id, status: dispute.status, reason: textOrNull(dispute.reason)?.slice(0, 200) ?? null, amountMinor, closed },
  };
}

/** The decline as the gateway words it; text parts only, on one line and bounded (it is stored and shown to admins). */
export function declineReason(pi: Record<string, unknown>): string {
  const err = isObject(pi.last_payment_error) ? pi.last_payment_error : {};
  const parts = [err.code, err.decline_code, err.message].filter((p): p is string => typeof p === 'string' && p !== '');
  // eslint-disable-next-line no-control-regex -- control characters and lone surrogates are what it removes
  const oneLine = /[\u0000-\u001F\u007F]|\p{Cs}/gu;
  return parts.join(': ').replace(oneLine, ' ').slice(0, 1000) || 'payment failed';
}

/**
 * What a retrieved intent came to. `requires_payment_method` with a last error is a decline (Stripe keeps the
 * intent open for another card); without one, or while processing or awaiting action, nothing is settled yet.
 */
export function intentStatus(pi: unknown): IntentStatus {
  const intent = intentFacts(pi);
  const o = pi as Record<string, unknown>;
  if (o.status === 'succeeded') return { status: 'succeeded', intent };
  if (o.status === 'canceled') return { status: 'canceled', intent };
  if (o.status === 'requires_payment_method' && isObject(o.last_payment_error))
    return { status: 'failed', intent, reason: declineReason(o) };
  return { status: 'pending', intent };
}
