import Stripe from 'stripe';
import {
  GatewayError,
  type CreateIntentRequest,
  type IntentOwner,
  type IntentStatus,
  type PaymentClientConfig,
  type PaymentGateway,
  type PaymentIntentRef,
  type RefundRequest,
} from '../../domain/order/ports';
import { intentStatus } from './translate';

/** The registered name of this provider: recorded on attempts, and the tail of its webhook route. */
export const STRIPE = 'stripe';

/** Stripe's metadata keys for the intent's owner, read back by the webhook translation (./webhook.ts). */
export const toStripeMetadata = (owner: IntentOwner) => ({ site_id: owner.siteId, order_id: owner.orderId, attempt_id: owner.attemptId });

export interface StripeSettings {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111: points the official SDK at a Stripe-compatible server. */
  apiBase?: string;
  /** One call's bound (STRIPE_TIMEOUT_MS): a hung gateway fails the call rather than holding the request. */
  timeoutMs: number;
}

export function stripeClient(settings: StripeSettings): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new Stripe(settings.secretKey, {
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol.replace(':', '') as 'http' | 'https',
    }),
    // Our own idempotency keys make a retry safe; the caller decides when to retry (checkout again, the next
    // expiry run). No SDK retries: each would wait timeoutMs again, so a hung gateway would hold a checkout longer.
    maxNetworkRetries: 0,
    timeout: settings.timeoutMs,
  });
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { message?: string; code?: string; type?: string };
    throw new GatewayError(`${what} failed at the payment gateway: ${e.message ?? String(err)}`, e.code ?? e.type);
  }
}

/** The Integration Orchestrator's Stripe adapter, on the official SDK. */
export class StripeGateway implements PaymentGateway {
  readonly provider = STRIPE;

  constructor(
    private readonly stripe: Stripe,
    readonly client: PaymentClientConfig,
  ) {}

  async createIntent(req: CreateIntentRequest): Promise<PaymentIntentRef> {
    const intent = await call('Creating the payment', () =>
      this.stripe.paymentIntents.create(
        {
          amount: req.amountMinor,
          currency: req.currency.toLowerCase(),
          capture_method: 'automatic',
          automatic_payment_methods: { enabled: true },
          metadata: toStripeMetadata(req.metadata),
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    if (!intent.client_secret) throw new GatewayError('The payment gateway returned no client secret');
    return { id: intent.id, clientSecret: intent.client_secret };
  }

  async cancelIntent(intentId: string, idempotencyKey: string): Promise<void> {
    await call('Cancelling the payment', () => this.stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey }));
  }

  async refund(req: RefundRequest): Promise<{ id: string }> {
    const refund = await call('Refunding the payment', () =>
      this.stripe.refunds.create(
        {
          payment_intent: req.intentId,
          ...(req.amountMinor !== undefined && { amount: req.amountMinor }),
          metadata: toStripeMetadata(req.metadata),
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    return { id: refund.id };
  }

  async retrieveIntent(intentId: string): Promise<IntentStatus> {
    const intent = await call('Reading the payment', () => this.stripe.paymentIntents.retrieve(intentId));
    try {
      return intentStatus(intent);
    } catch (err) {
      throw new GatewayError(`The payment gateway returned an unreadable payment intent: ${(err as Error).message}`);
    }
  }
}
