/** PaymentIntents: create, cancel, and confirm with Stripe's test payment methods. */
import { choosePaymentMethod, type CardOutcome } from './cards';
import { asMetadata, positiveInt, str, type Params } from './form';
import { invalidInteger, missing, noSuch, now, ok, rand, stripeError, unexpectedState, type Reply } from './replies';
import { openDispute } from './disputes';
import type { Emit, SandboxStore } from './store';
import type { SandboxPaymentIntent } from './types';

export type Caller = 'secret' | 'publishable';

export function createPaymentIntent(store: SandboxStore, p: Params): Reply {
  if (p.amount === undefined) return missing('amount');
  if (p.currency === undefined) return missing('currency');
  const amount = positiveInt(p.amount);
  if (amount === null) return invalidInteger('amount', p.amount);
  const apm = p.automatic_payment_methods as Params | undefined;
  const id = `pi_${rand()}`;
  const pi: SandboxPaymentIntent = {
    id,
    object: 'payment_intent',
    amount,
    amount_received: 0,
    currency: String(p.currency).toLowerCase(),
    status: 'requires_payment_method',
    client_secret: `${id}_secret_${rand()}`,
    metadata: asMetadata(p.metadata),
    capture_method: str(p.capture_method) ?? 'automatic',
    automatic_payment_methods: apm ? { enabled: apm.enabled === 'true' } : null,
    created: now(),
    canceled_at: null,
    cancellation_reason: null,
    livemode: false,
    latest_charge: null,
    payment_method: null,
    last_payment_error: null,
  };
  store.paymentIntents.set(id, pi);
  return ok(pi);
}

export function cancelPaymentIntent(store: SandboxStore, id: string, p: Params, emit: Emit): Reply {
  const pi = store.paymentIntents.get(id);
  if (!pi) return noSuch('payment_intent', id);
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    return unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`);
  }
  pi.status = 'canceled';
  pi.canceled_at = now();
  pi.cancellation_reason = str(p.cancellation_reason);
  emit('payment_intent.canceled', structuredClone(pi));
  return ok(pi);
}

// The same answer for an unknown intent and a wrong secret, so a guess learns nothing.
const secretMismatch = (): Reply =>
  stripeError(
    400,
    'payment_intent_invalid_parameter',
    'The client_secret provided does not match any associated PaymentIntent on this account.',
    { param: 'client_secret' },
  );

/** POST /v1/payment_intents/:id/confirm, as Stripe.js sends it with a publishable key, or a server with a secret one. */
export function confirmPaymentIntent(store: SandboxStore, id: string, p: Params, caller: Caller, emit: Emit): Reply {
  const pi = store.paymentIntents.get(id);
  const clientSecret = str(p.client_secret);
  if (caller === 'publishable' && clientSecret === null) return missing('client_secret');
  if (clientSecret !== null && clientSecret !== pi?.client_secret) return secretMismatch();
  if (!pi) return noSuch('payment_intent', id);
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    return unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`, structuredClone(pi));
  }
  const choice = choosePaymentMethod(p);
  if ('refusal' in choice) return choice.refusal;
  if (choice.outcome.paid) {
    markSucceeded(store, pi, choice.id);
    emit('payment_intent.succeeded', structuredClone(pi));
    if (choice.outcome.disputed) emit('charge.dispute.created', structuredClone(openDispute(store, pi)));
    return ok(pi);
  }
  markDeclined(pi, choice.outcome);
  emit('payment_intent.payment_failed', structuredClone(pi));
  const { code, decline_code, message } = pi.last_payment_error!;
  return stripeError(402, code, message, { decline_code, payment_intent: pi });
}

export function markSucceeded(store: SandboxStore, pi: SandboxPaymentIntent, paymentMethod: string | null = null): void {
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  pi.latest_charge = `ch_${rand()}`;
  pi.payment_method = paymentMethod;
  pi.last_payment_error = null;
  store.chargeCreated.set(pi.latest_charge, now());
}

export function markDeclined(pi: SandboxPaymentIntent, outcome: Extract<CardOutcome, { paid: false }>): void {
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: outcome.declineCode, message: outcome.message };
}
