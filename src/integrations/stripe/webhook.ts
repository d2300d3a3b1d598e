import type Stripe from 'stripe';
import type { IntentFacts, PaymentEvent } from './gateway';

export class SignatureError extends Error {}

/** Verifies the signature (tolerance 300 s) before anything of the body is read; then types the event. */
export function verifyStripeEvent(stripe: Stripe, rawBody: Buffer, signature: string | undefined, secret: string): PaymentEvent {
  if (!signature) throw new SignatureError('missing Stripe-Signature header');
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret, 300);
  } catch (err) {
    throw new SignatureError((err as Error).message);
  }
  return toPaymentEvent(event);
}

function facts(pi: Stripe.PaymentIntent): IntentFacts {
  const md = pi.metadata ?? {};
  return {
    id: pi.id,
    amountMinor: pi.amount_received || pi.amount,
    currency: String(pi.currency).toUpperCase(),
    siteId: md.site_id ?? null,
    orderId: md.order_id ?? null,
    attemptId: md.attempt_id ?? null,
  };
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case 'payment_intent.succeeded':
      return { kind: 'payment_succeeded', eventId: event.id, type: event.type, intent: facts(event.data.object) };
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const err = pi.last_payment_error;
      const reason = [err?.code, err?.decline_code, err?.message].filter(Boolean).join(': ') || 'payment failed';
      return { kind: 'payment_failed', eventId: event.id, type: event.type, intent: facts(pi), reason };
    }
    default:
      return { kind: 'unhandled', eventId: event.id, type: event.type };
  }
}
