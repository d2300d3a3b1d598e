/** The slice of Stripe's v1 API the sandbox serves, and which of it a publishable key may call. */
import type { Params } from './form';
import { cancelPaymentIntent, confirmPaymentIntent, createPaymentIntent, type Caller } from './payment-intents';
import { closeDispute, updateDispute } from './disputes';
import { createRefund } from './refunds';
import { noSuch, ok, stripeError, type Reply } from './replies';
import type { Emit, SandboxStore } from './store';

const INTENT_PATH = /^\/v1\/payment_intents\/([^/]+)(?:\/(cancel|confirm))?$/;
const EVENT_PATH = /^\/v1\/events\/([^/]+)$/;
const DISPUTE_PATH = /^\/v1\/disputes\/([^/]+)(?:\/(close))?$/;

/** As with Stripe, a publishable key can only confirm (what Stripe.js does in the browser). */
export const publishableMayCall = (method: string, path: string): boolean => method === 'POST' && INTENT_PATH.exec(path)?.[2] === 'confirm';

export function route(store: SandboxStore, method: string, path: string, params: Params, caller: Caller, emit: Emit): Reply {
  const intent = INTENT_PATH.exec(path);
  const event = EVENT_PATH.exec(path);
  if (method === 'POST' && path === '/v1/payment_intents') return createPaymentIntent(store, params);
  if (method === 'GET' && intent && !intent[2]) {
    const pi = store.paymentIntents.get(intent[1]);
    return pi ? ok(pi) : noSuch('payment_intent', intent[1]);
  }
  if (method === 'POST' && intent?.[2] === 'cancel') return cancelPaymentIntent(store, intent[1], params, emit);
  if (method === 'POST' && intent?.[2] === 'confirm') return confirmPaymentIntent(store, intent[1], params, caller, emit);
  if (method === 'POST' && path === '/v1/refunds') return createRefund(store, params, emit);
  const dispute = DISPUTE_PATH.exec(path);
  if (dispute && method === 'GET' && !dispute[2]) {
    const found = store.disputes.get(dispute[1]);
    return found ? ok(found) : noSuch('dispute', dispute[1]);
  }
  if (dispute && method === 'POST')
    return dispute[2] ? closeDispute(store, dispute[1], emit) : updateDispute(store, dispute[1], params, emit);
  if (method === 'GET' && event) {
    const found = store.events.find((e) => e.id === event[1]);
    return found ? ok(found) : noSuch('event', event[1]);
  }
  return stripeError(
    404,
    'resource_missing',
    `Unrecognized request URL (${method}: ${path}). The Stripe sandbox serves only part of the API.`,
  );
}
