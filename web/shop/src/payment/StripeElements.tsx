// Real Stripe (no sandbox, GET /web-config.json gives a publishable key): Stripe's Payment Element in a div, then
// stripe.confirmPayment. @stripe/stripe-js is imported only here, dynamically, so the offline path never loads it
// nor reaches Stripe's hosts. Not exercised by the tests (this machine has no network): kept small on purpose.
import { useEffect, useRef, useState } from 'react';
import type { Stripe, StripeElements as Elements } from '@stripe/stripe-js';

export function StripeElements({
  publishableKey,
  clientSecret,
  onDone,
}: {
  publishableKey: string;
  clientSecret: string;
  /** Paid; or a card decline (the webhook then fails the order). Other refusals stay on this form. */
  onDone(outcome: { paid: true } | { paid: false; declined: boolean; message: string }): void;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ stripe: Stripe; elements: Elements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let unmount: (() => void) | undefined;
    void (async () => {
      try {
        const { loadStripe } = await import('@stripe/stripe-js');
        const loaded = await loadStripe(publishableKey);
        if (cancelled || !loaded || !mount.current) return;
        const elements = loaded.elements({ clientSecret });
        const payment = elements.create('payment');
        payment.mount(mount.current);
        unmount = () => payment.destroy();
        setStripe({ stripe: loaded, elements });
      } catch (err) {
        if (!cancelled) setError(`Stripe could not be loaded: ${(err as Error).message}`);
      }
    })();
    return () => {
      cancelled = true;
      unmount?.();
    };
  }, [publishableKey, clientSecret]);

  async function pay() {
    if (!stripe) return;
    setBusy(true);
    const result = await stripe.stripe.confirmPayment({ elements: stripe.elements, redirect: 'if_required' });
    setBusy(false);
    if (result.error?.type === 'card_error') {
      onDone({ paid: false, declined: true, message: result.error.message ?? 'Your card was declined.' });
    } else if (result.error) {
      // Validation of the form's fields and the like: the shopper corrects them here.
      setError(result.error.message ?? 'The payment was refused.');
    } else {
      onDone({ paid: true });
    }
  }

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void pay();
      }}
    >
      <div ref={mount} className="stripe-element" />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={!stripe || busy}>
        Pay
      </button>
    </form>
  );
}
