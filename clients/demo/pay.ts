import { DemoError } from './client';

export interface Session {
  id: string;
  clientSecret: string;
  publishableKey?: string | null;
  sandboxUrl?: string | null;
}

/**
 * Pays as a browser would with Stripe.js: confirms the intent with its client secret, the publishable key and a
 * test payment method, at the offline sandbox. Answers the decline code, or null when the payment went through.
 */
export async function confirmAtSandbox(session: Session, paymentMethod: string): Promise<string | null> {
  if (!session.sandboxUrl) {
    throw new DemoError('this server pays through real Stripe, not the offline sandbox: the demo pays only in the sandbox');
  }
  const res = await fetch(`${session.sandboxUrl}/v1/payment_intents/${encodeURIComponent(session.id)}/confirm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.publishableKey ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: session.clientSecret, payment_method: paymentMethod }).toString(),
  });
  const body = (await res.json()) as { status?: string; error?: { code?: string; decline_code?: string; message?: string } };
  if (res.ok && body.status === 'succeeded') return null;
  if (res.status === 402 && body.error) return body.error.decline_code ?? body.error.code ?? 'declined';
  throw new DemoError(`the sandbox refused the confirmation: HTTP ${res.status} ${body.error?.message ?? ''}`);
}
