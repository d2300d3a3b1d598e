/** Stripe Events and their `Stripe-Signature`, built the way Stripe builds and signs them. */
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { now, rand } from './replies';
import type { SandboxEvent } from './types';

export interface EventOrigin {
  id?: string;
  pendingWebhooks?: number;
  request?: SandboxEvent['request'];
}

export function buildEvent(type: string, object: unknown, origin: EventOrigin = {}): SandboxEvent {
  return {
    id: origin.id ?? `evt_${rand()}`,
    object: 'event',
    type,
    api_version: Stripe.API_VERSION,
    created: now(),
    livemode: false,
    data: { object },
    pending_webhooks: origin.pendingWebhooks ?? 1,
    request: origin.request ?? { id: null, idempotency_key: null },
  };
}

/** The `Stripe-Signature` header for `payload`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. */
export function signedWebhook(payload: string, secret: string, opts: { timestamp?: number } = {}): string {
  const t = opts.timestamp ?? now();
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}
