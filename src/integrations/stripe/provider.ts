import type Stripe from 'stripe';
import type { PaymentClientConfig, PaymentProvider } from '../../domain/order/ports';
import { STRIPE, StripeGateway } from './stripe-gateway';
import { StripeWebhooks } from './webhook';

/** Stripe as a payment provider: the official SDK for the calls, its signing secret for the webhooks. */
export function stripeProvider(stripe: Stripe, webhookSecret: string, client: PaymentClientConfig): PaymentProvider {
  return { name: STRIPE, gateway: new StripeGateway(stripe, client), webhooks: new StripeWebhooks(stripe, webhookSecret) };
}
