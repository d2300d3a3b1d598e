/** The Stripe sandbox's objects, shaped like the Stripe API's JSON, and its public interface. */

export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  idempotencyKey?: string;
  /** Query string and form body, parsed: every leaf is a string, as sent. */
  params: Record<string, unknown>;
  status: number;
}

export interface PaymentErrorJson {
  type: 'card_error';
  code: string;
  decline_code?: string;
  message: string;
}

/** The stored intent is exactly what the API returns. */
export interface SandboxPaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  client_secret: string;
  metadata: Record<string, string>;
  capture_method: string;
  automatic_payment_methods: { enabled: boolean } | null;
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  livemode: false;
  latest_charge: string | null;
  payment_method: string | null;
  last_payment_error: PaymentErrorJson | null;
}

export interface SandboxRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded';
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

/** A dispute of a charge, as Stripe shows it; the sandbox opens one for the createDispute test card. */
export interface SandboxDispute {
  id: string;
  object: 'dispute';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  reason: string;
  status: 'needs_response' | 'under_review' | 'won' | 'lost';
  evidence: { uncategorized_text: string | null };
  metadata: Record<string, string>;
  livemode: false;
  created: number;
}

/** The sandbox keeps no charges; this is the snapshot a `charge.refunded` event carries. */
export interface SandboxCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  refunded: boolean;
  captured: boolean;
  paid: boolean;
  status: 'succeeded';
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
  livemode: false;
  created: number;
}

export interface SandboxEvent {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: unknown };
  pending_webhooks: number;
  /** The API request that caused the event; nulls for events built by hand. */
  request: { id: string | null; idempotency_key: string | null };
}

/** One event's way to the webhook endpoint. */
export interface SandboxDelivery {
  eventId: string;
  type: string;
  url: string;
  attempts: number;
  /** HTTP status of the last answer; null before the first answer or after a network error. */
  lastStatus: number | null;
  lastError: string | null;
  delivered: boolean;
  /** maxAttempts were made without a 2xx. */
  gaveUp: boolean;
}

export interface FailNextMatch {
  /** Any method when omitted. */
  method?: string;
  /** Matched against the path without the query string. */
  path: string | RegExp;
}

export interface FailNextOptions {
  /** Default 500. 402 becomes a `card_error` (StripeCardError), 5xx an `api_error`. */
  status?: number;
  code?: string;
  message?: string;
  /** Default 1. */
  count?: number;
}

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export interface RetryPolicy {
  /** Delay before the second attempt; it doubles for each further one. Default 1000. */
  firstDelayMs: number;
  /** Default 60000. */
  maxDelayMs: number;
  /** Attempts in all, the first included, before the delivery is given up. Default 8. */
  maxAttempts: number;
}

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Where events are delivered; without one they are only kept (`events`, GET /v1/events/:id). */
  webhook?: WebhookEndpoint;
  retry?: Partial<RetryPolicy>;
  /** One structured line (`{ sandbox: 'stripe', action, ... }`) per request and per delivery attempt. Default: silent. */
  log?: (line: object) => void;
}

export interface StripeSandbox {
  url: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  paymentIntents: Map<string, SandboxPaymentIntent>;
  refunds: Map<string, SandboxRefund>;
  disputes: Map<string, SandboxDispute>;
  /** Every event the API produced, oldest first. */
  events: SandboxEvent[];
  deliveries: SandboxDelivery[];
  /** Marks the intent succeeded (amount_received = amount) and returns a snapshot of its JSON, for building a webhook event. Delivers nothing. */
  succeed(piId: string): SandboxPaymentIntent;
  /** Marks a payment attempt as declined: status 'requires_payment_method' with a card_declined last_payment_error. Delivers nothing. */
  fail(piId: string, reason?: string): SandboxPaymentIntent;
  /** The next `count` matching requests get this error instead of being processed (nothing stored, nothing remembered for idempotency). */
  failNext(match: FailNextMatch, opts?: FailNextOptions): void;
  /** Drops every failNext rule still waiting: the gateway is back (a fault drill's end). */
  recover(): void;
  /** Builds a Stripe Event JSON around `object`; sign `JSON.stringify(event)` with `signedWebhook`. */
  event(type: string, object: unknown, id?: string): SandboxEvent;
  /** Where later events are delivered; the sandbox's own URL is known only once it listens, so often set after start. */
  setWebhook(url: string, secret: string): void;
  /** Resolves when no delivery is waiting for a retry or in flight. */
  settled(): Promise<void>;
  /** Clears requests, objects, events, deliveries (cancelling their retries), idempotency memory and failNext rules. */
  reset(): void;
  /** Cancels pending retries, waits for deliveries in flight, then stops listening. */
  close(): Promise<void>;
}
