import type Stripe from 'stripe';
import { MalformedEventError, WebhookSignatureError, type PaymentEvent, type PaymentWebhooks } from '../../domain/order/ports';
import { STRIPE } from './stripe-gateway';
import { chargeDispute, chargeRefund, declineReason, intentFacts, isObject } from './translate';

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

function toPaymentEvent(event: unknown): PaymentEvent {
  if (!isObject(event) || typeof event.id !== 'string' || !event.id || typeof event.type !== 'string') {
    throw new MalformedEventError('the event has no id or type');
  }
  const object = isObject(event.data) ? event.data.object : undefined;
  const base = { provider: STRIPE, eventId: event.id, type: event.type };
  switch (event.type) {
    case 'payment_intent.succeeded':
      return { ...base, kind: 'payment_succeeded', intent: intentFacts(object) };
    case 'payment_intent.payment_failed':
      return { ...base, kind: 'payment_failed', intent: intentFacts(object), reason: declineReason(object as Record<string, unknown>) };
    case 'payment_intent.canceled':
      return { ...base, kind: 'payment_canceled', intent: intentFacts(object) };
    case 'charge.refunded':
      return { ...base, kind: 'charge_refunded', ...chargeRefund(object) };
    case 'charge.dispute.created':
      return { ...base, kind: 'dispute_opened', ...chargeDispute(object, false) };
    case 'charge.dispute.closed':
      return { ...base, kind: 'dispute_closed', ...chargeDispute(object, true) };
    default:
      return { ...base, kind: 'unhandled' };
  }
}
