/** Refunds of a succeeded PaymentIntent's charge, whole or in parts, each announced as `charge.refunded`. */
import { asMetadata, positiveInt, str, type Params } from './form';
import { invalidInteger, missing, noSuch, now, ok, rand, stripeError, unexpectedState, type Reply } from './replies';
import type { Emit, SandboxStore } from './store';
import type { SandboxCharge, SandboxPaymentIntent, SandboxRefund } from './types';

const refundedSoFar = (store: SandboxStore, piId: string): number =>
  [...store.refunds.values()].filter((r) => r.payment_intent === piId).reduce((sum, r) => sum + r.amount, 0);

/** The intent's charge as Stripe shows it; only succeeded intents, which always have a latest_charge, are refunded. */
function chargeOf(store: SandboxStore, pi: SandboxPaymentIntent): SandboxCharge {
  const id = pi.latest_charge as string;
  const amountRefunded = refundedSoFar(store, pi.id);
  return {
    id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: pi.amount_received,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= pi.amount_received,
    captured: true,
    paid: true,
    status: 'succeeded',
    currency: pi.currency,
    payment_intent: pi.id,
    metadata: { ...pi.metadata },
    livemode: false,
    created: store.chargeCreated.get(id) ?? pi.created,
  };
}

export function createRefund(store: SandboxStore, p: Params, emit: Emit): Reply {
  const piId = str(p.payment_intent);
  if (!piId) return missing('payment_intent');
  const pi = store.paymentIntents.get(piId);
  if (!pi) return noSuch('payment_intent', piId, 'payment_intent');
  if (pi.status !== 'succeeded') return unexpectedState(`This PaymentIntent (${piId}) does not have a successful charge to refund.`);
  const refundable = pi.amount_received - refundedSoFar(store, piId);
  if (refundable <= 0) {
    return stripeError(400, 'charge_already_refunded', `Charge ${pi.latest_charge} has already been refunded.`);
  }
  // Like Stripe, no amount means "whatever is left", i.e. amount_received when nothing was refunded yet.
  const amount = p.amount === undefined ? refundable : positiveInt(p.amount);
  if (amount === null) return invalidInteger('amount', p.amount);
  if (amount > refundable) {
    return stripeError(400, 'amount_too_large', `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable}).`, {
      param: 'amount',
    });
  }
  const refund: SandboxRefund = {
    id: `re_${rand()}`,
    object: 'refund',
    amount,
    currency: pi.currency,
    payment_intent: piId,
    charge: pi.latest_charge,
    status: 'succeeded',
    reason: str(p.reason),
    metadata: asMetadata(p.metadata),
    created: now(),
  };
  store.refunds.set(refund.id, refund);
  emit('charge.refunded', chargeOf(store, pi));
  return ok(refund);
}
