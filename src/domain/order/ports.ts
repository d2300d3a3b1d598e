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
  /** The intent as the gateway holds it now, over its authenticated API (reconciliation of lost webhooks). */
  retrieveIntent(intentId: string): Promise<IntentStatus>;
}

/** What the gateway says an intent came to, in the domain's words. */
export type IntentStatus =
  | { status: 'succeeded'; intent: IntentFacts }
  | { status: 'failed'; intent: IntentFacts; reason: string }
  | { status: 'canceled'; intent: IntentFacts }
  /** Not settled yet (no payment method, or one in progress): nothing to apply. */
  | { status: 'pending'; intent: IntentFacts };

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
  /** The amount asked for. */
  amountMinor: number;
  /** The amount the gateway says it received; null when the event does not say (then it confirms nothing). */
  amountReceivedMinor: number | null;
  currency: string;
  siteId: string | null;
  orderId: string | null;
  attemptId: string | null;
}

/** A refund as the gateway's charge reports it: all refunded so far, whoever made the refunds. */
export interface RefundFacts {
  capturedMinor: number;
  refundedMinor: number;
}

/** A dispute (chargeback) as the gateway's latest event says. */
export interface DisputeFacts {
  id: string;
  /** The gateway's status, in its words; once closed, the outcome (e.g. won, lost). */
  status: string;
  /** Closed: the status is final. */
  closed: boolean;
  reason: string | null;
  amountMinor: number;
}

interface EventBase {
  provider: string;
  eventId: string;
  type: string;
  /** Set when Aegis asked the gateway itself (reconciliation of a lost webhook) rather than being told. */
  via?: 'reconciliation';
}

/** A verified provider event, in the domain's words. Only these fields are trusted and used. */
export type PaymentEvent = EventBase &
  (
    | { kind: 'payment_succeeded'; intent: IntentFacts }
    | { kind: 'payment_failed'; intent: IntentFacts; reason: string }
    | { kind: 'payment_canceled'; intent: IntentFacts }
    | { kind: 'charge_refunded'; intent: IntentFacts; refund: RefundFacts }
    | { kind: 'dispute_opened' | 'dispute_closed'; intent: IntentFacts; dispute: DisputeFacts }
    | { kind: 'unhandled' }
  );

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
