import type Stripe from 'stripe';
import {
  MalformedEventError,
  WebhookSignatureError,
  type IntentFacts,
  type PaymentEvent,
  type PaymentWebhooks,
} from '../../domain/order/ports';
import { STRIPE } from './stripe-gateway';

/** Stripe's half of webhook translation: verifies the signature (tolerance 300 s) before anything of the body is read, then types the event. */
export class StripeWebhooks implements PaymentWebhooks {
  readonly provider = STRIPE;

  constructor(
    private readonly stripe: Stripe,
    private readonly secret: string,
  ) {}

  verify(rawBody: Buffer, header: (name: string) => string | undefined): PaymentEvent {
    const signature = header('stripe-signature');
    if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.secret, 300);
    } catch (err) {
      throw new WebhookSignatureError((err as Error).message);
    }
    return toPaymentEvent(event);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The intent's facts; its id, amount and currency must be there, the metadata may be anything (it is checked later). */
function facts(pi: unknown): IntentFacts {
  if (!isObject(pi) || typeof pi.id !== 'string' || !pi.id || typeof pi.currency !== 'string')
    throw new MalformedEventError('the event has no payment intent with an id and a currency');
  const amount = pi.amount_received || pi.amount;
  if (!Number.isSafeInteger(amount)) throw new MalformedEventError('the payment intent has no integer amount');
  const md = isObject(pi.metadata) ? pi.metadata : {};
  return {
    id: pi.id,
    amountMinor: amount as number,
    currency: pi.currency.toUpperCase(),
    siteId: textOrNull(md.site_id),
    orderId: textOrNull(md.order_id),
    attemptId: textOrNull(md.attempt_id),
  };
}

/** The decline as the gateway words it; text parts only, on one line and bounded (it is stored and shown to admins). */
function declineReason(pi: Record<string, unknown>): string {
  const err = isObject(pi.last_payment_error) ? pi.last_payment_error : {};
  const parts = [err.code, err.decline_code, err.message].filter((p): p is string => typeof p === 'string' && p !== '');
  // eslint-disable-next-line no-control-regex -- control characters and lone surrogates are what it removes
  const oneLine = /[\u0000-\u001F\u007F]|\p{Cs}/gu;
  return parts.join(': ').replace(oneLine, ' ').slice(0, 1000) || 'payment failed';
}

function toPaymentEvent(event: unknown): PaymentEvent {
  if (!isObject(event) || typeof event.id !== 'string' || !event.id || typeof event.type !== 'string') {
    throw new MalformedEventError('the event has no id or type');
  }
  const object = isObject(event.data) ? event.data.object : undefined;
  switch (event.type) {
    case 'payment_intent.succeeded':
      return { kind: 'payment_succeeded', provider: STRIPE, eventId: event.id, type: event.type, intent: facts(object) };
    case 'payment_intent.payment_failed': {
      const intent = facts(object);
      return {
        kind: 'payment_failed',
        provider: STRIPE,
        eventId: event.id,
        type: event.type,
        intent,
        reason: declineReason(object as Record<string, unknown>),
      };
    }
    default:
      return { kind: 'unhandled', provider: STRIPE, eventId: event.id, type: event.type };
  }
}
