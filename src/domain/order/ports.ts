/**
 * The Commerce Engine's ports to a payment provider, in the domain's own words. A provider (src/integrations/...)
 * implements both halves: the gateway calls Aegis makes, and the translation of the webhooks the provider sends.
 * Nothing here names a provider: adding one is an adapter and a registration line (CONTRIBUTING.md).
 */

/** Who an intent belongs to: written on the intent by Aegis, read back from the provider's events. */
export interface IntentOwner {
  siteId: string;
  orderId: string;
  attemptId: string;
}

export interface CreateIntentRequest {
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  metadata: IntentOwner;
}

export interface PaymentIntentRef {
  id: string;
  clientSecret: string;
}

export interface RefundRequest {
  intentId: string;
  /** Omitted: all that is left of the capture (an amount-mismatched capture is refunded whole). */
  amountMinor?: number;
  idempotencyKey: string;
  metadata: IntentOwner;
}

/** What a storefront needs, beside an intent's client secret, to confirm a payment in the browser. */
export interface PaymentClientConfig {
  /** The key a browser confirms payments with (a publishable key), when the provider has one. */
  publishableKey: string | null;
  /** Set only when an offline payment sandbox serves this server: the base URL a client confirms intents at. */
  sandboxUrl: string | null;
}

export interface PaymentGateway {
  /** The provider's registered name; recorded on every attempt, so its refunds and cancels go back to it. */
  readonly provider: string;
  readonly client: PaymentClientConfig;
  createIntent(req: CreateIntentRequest): Promise<PaymentIntentRef>;
  cancelIntent(intentId: string, idempotencyKey: string): Promise<void>;
  refund(req: RefundRequest): Promise<{ id: string }>;
}

/** A refusal or fault of the gateway, with its message safe to show an admin. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** The facts of an intent a verified event carries; the owner fields are whatever the event says (checked later). */
export interface IntentFacts {
  id: string;
  amountMinor: number;
  currency: string;
  siteId: string | null;
  orderId: string | null;
  attemptId: string | null;
}

/** A verified provider event, in the domain's words. Only these fields are trusted and used. */
export type PaymentEvent =
  | { kind: 'payment_succeeded'; provider: string; eventId: string; type: string; intent: IntentFacts }
  | { kind: 'payment_failed'; provider: string; eventId: string; type: string; intent: IntentFacts; reason: string }
  | { kind: 'unhandled'; provider: string; eventId: string; type: string };

/** Bad or stale signature: answered 400 and alerted; nothing of the body was read. */
export class WebhookSignatureError extends Error {}

/** Signed, but without the fields Aegis reads: answered 400, nothing written (never a fault the provider retries). */
export class MalformedEventError extends Error {}

/** The provider's job (as Medusa's getWebhookActionAndData): raw request -> verified PaymentEvent, or one of the errors above. */
export interface PaymentWebhooks {
  readonly provider: string;
  verify(rawBody: Buffer, header: (name: string) => string | undefined): PaymentEvent;
}

/** One registered provider: its gateway calls and its webhook translation. */
export interface PaymentProvider {
  readonly name: string;
  readonly gateway: PaymentGateway;
  readonly webhooks: PaymentWebhooks;
}

/** Every provider the process knows; `current` takes the new attempts. */
export interface PaymentProviders {
  readonly current: PaymentGateway;
  /** The gateway of a recorded attempt's provider; undefined when that provider is no longer registered. */
  gateway(provider: string): PaymentGateway | undefined;
  webhooks(provider: string): PaymentWebhooks | undefined;
}
