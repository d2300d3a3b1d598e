// Paying at the offline Stripe sandbox as Stripe.js pays at Stripe: the browser confirms the payment intent itself
// with its client secret and the publishable key; the card number never reaches Aegis. The sandbox then delivers
// the signed webhook that moves the order (src/integrations/stripe/sandbox/cards.ts: the card numbers it knows).
import type { ShopOrderQuery } from '../../../../clients/generated/graphql';

/** The order's payment session, as the schema types it (clients/generated). */
export type PaymentSessionLike = NonNullable<NonNullable<ShopOrderQuery['order']>['paymentSession']>;

export type ConfirmOutcome =
  | { kind: 'succeeded' }
  /** The card was declined: the order becomes PAYMENT_FAILED once the webhook arrives. */
  | { kind: 'declined'; message: string; declineCode: string | null }
  /** Refused before any attempt at the card (a number the sandbox does not know): fix the field and pay again. */
  | { kind: 'invalid'; message: string };

export async function confirmAtSandbox(session: PaymentSessionLike, cardNumber: string): Promise<ConfirmOutcome> {
  // Stripe takes a browser's confirm only with a publishable key (pk_…); a server without STRIPE_PUBLISHABLE_KEY
  // and an external sandbox answers none, and the sandbox would answer 401.
  if (!session.publishableKey) {
    return { kind: 'invalid', message: 'This shop cannot take card payments: the server has no publishable key (STRIPE_PUBLISHABLE_KEY).' };
  }
  const body = new URLSearchParams({
    client_secret: session.clientSecret,
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': cardNumber.replace(/[\s-]/g, ''),
  });
  let res: Response;
  try {
    res = await fetch(`${session.sandboxUrl}/v1/payment_intents/${encodeURIComponent(session.id)}/confirm`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.publishableKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  } catch (err) {
    return { kind: 'invalid', message: `The payment service cannot be reached (${(err as Error).message}).` };
  }
  const answer = (await res.json().catch(() => ({}))) as {
    status?: string;
    error?: { code?: string; decline_code?: string; message?: string };
  };
  if (res.ok && answer.status === 'succeeded') return { kind: 'succeeded' };
  if (answer.error?.code === 'card_declined') {
    return { kind: 'declined', message: answer.error.message ?? 'Your card was declined.', declineCode: answer.error.decline_code ?? null };
  }
  return { kind: 'invalid', message: answer.error?.message ?? `The payment was refused (HTTP ${res.status}).` };
}
