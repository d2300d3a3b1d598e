/** The payment gateway port: what the domain needs from a gateway, in its own words. */
export interface CreateIntentRequest {
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  metadata: { site_id: string; order_id: string; attempt_id: string };
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
  metadata: Record<string, string>;
}

/** What a storefront needs, beside an intent's client secret, to confirm a payment in the browser. */
export interface PaymentClientConfig {
  /** The gateway's publishable key (Stripe.js `pk_...`), when configured. */
  publishableKey: string | null;
  /** Set only when the offline payment sandbox serves this server: the base URL a client confirms intents at. */
  sandboxUrl: string | null;
}

export interface PaymentGateway {
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

/** A verified gateway event, typed for the API layer. Only these fields are trusted and used. */
export type PaymentEvent =
  | { kind: 'payment_succeeded'; eventId: string; type: string; intent: IntentFacts }
  | { kind: 'payment_failed'; eventId: string; type: string; intent: IntentFacts; reason: string }
  | { kind: 'unhandled'; eventId: string; type: string };

export interface IntentFacts {
  id: string;
  amountMinor: number;
  currency: string;
  siteId: string | null;
  orderId: string | null;
  attemptId: string | null;
}
