import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ShopOrderDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FieldError, RequestError, type UserError } from '../../../shared/user-errors';
import { loadWebConfig, type WebConfig } from '../../../shared/web-config';
import { OrderSummary, StateBadge } from '../components/OrderBits';
import { Field } from '../components/Field';
import { StripeElements } from '../payment/StripeElements';
import { confirmAtSandbox, type PaymentSessionLike } from '../payment/sandbox';
import { useSession } from '../session';

/**
 * Pays the order's current payment session (checkout's or retryPayment's; the order answers it while
 * PENDING_PAYMENT): at the offline sandbox with a test card number, or with Stripe Elements against real Stripe.
 */
export function Pay() {
  const { siteId } = useSession();
  const { orderId } = useParams();
  const navigate = useNavigate();
  // network-only: a retry opened a new session, the cached one is spent.
  const [result] = useQuery({ query: ShopOrderDocument, variables: { siteId, id: orderId! }, requestPolicy: 'network-only' });
  const order = result.data?.order;
  const session = order?.paymentSession;

  const paid = () => void navigate(`/${siteId}/orders/${orderId}/confirmation`);
  const declined = (message: string) => void navigate(`/${siteId}/orders/${orderId}/failed`, { state: { declined: message } });

  if (result.fetching && !result.data) return <p className="muted">Loading your order…</p>;
  if (!order) {
    return (
      <>
        <h1>Payment</h1>
        <RequestError error={result.error} />
        <p>This order is not yours or does not exist.</p>
      </>
    );
  }
  return (
    <>
      <h1>Payment</h1>
      <p>
        Order <code>{order.id}</code> is <StateBadge state={order.state} />, total {money(order.totalMinor, order.currency)}.
      </p>
      <div className="checkout">
        <section className="card" aria-labelledby="pay-title">
          <h2 id="pay-title">Pay by card</h2>
          {order.state === 'PENDING_PAYMENT' && session ? (
            session.sandboxUrl ? (
              <SandboxCardForm session={session} onPaid={paid} onDeclined={declined} />
            ) : (
              <RealStripe clientSecret={session.clientSecret} onPaid={paid} onDeclined={declined} />
            )
          ) : order.state === 'PAYMENT_FAILED' ? (
            <p>
              The last payment failed. <Link to={`/${siteId}/orders/${order.id}/failed`}>See why and try again</Link>.
            </p>
          ) : (
            <p>
              Nothing to pay now. <Link to={`/${siteId}/orders/${order.id}/confirmation`}>Follow the order</Link>.
            </p>
          )}
        </section>
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Your order</h2>
          <OrderSummary order={order} />
        </section>
      </div>
    </>
  );
}

const TEST_CARDS = [
  ['4242 4242 4242 4242', 'pays'],
  ['4000 0000 0000 0002', 'is declined'],
  ['4000 0000 0000 9995', 'is declined: insufficient funds'],
] as const;

/** The offline sandbox: a card number, one of the test cards it knows. */
function SandboxCardForm({
  session,
  onPaid,
  onDeclined,
}: {
  session: PaymentSessionLike;
  onPaid(): void;
  onDeclined(message: string): void;
}) {
  const [number, setNumber] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [busy, setBusy] = useState(false);

  async function pay() {
    setBusy(true);
    const outcome = await confirmAtSandbox(session, number);
    setBusy(false);
    if (outcome.kind === 'succeeded') onPaid();
    else if (outcome.kind === 'declined') onDeclined(outcome.message);
    else setErrors([{ code: 'CARD', message: outcome.message, field: 'cardNumber' }]);
  }

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void pay();
      }}
    >
      <p className="notice">Test mode: this shop pays at the offline Stripe sandbox, no money moves.</p>
      <Field
        label="Card number"
        field="cardNumber"
        errors={errors}
        inputMode="numeric"
        autoComplete="cc-number"
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        aria-describedby="test-cards"
      />
      <div id="test-cards" className="muted">
        Test cards:
        <ul>
          {TEST_CARDS.map(([card, what]) => (
            <li key={card}>
              <code>{card}</code> {what}
            </li>
          ))}
        </ul>
      </div>
      <button type="submit" disabled={busy || !number.trim()}>
        Pay
      </button>
    </form>
  );
}

/** Real Stripe: the publishable key comes from the server's web config (never from the bundle). */
function RealStripe({ clientSecret, onPaid, onDeclined }: { clientSecret: string; onPaid(): void; onDeclined(message: string): void }) {
  const [config, setConfig] = useState<WebConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadWebConfig().then(setConfig, (err: Error) => setError(err.message));
  }, []);
  if (error) return <FieldError errors={[{ code: 'CONFIG', message: error, field: 'payment' }]} field="payment" />;
  if (!config) return <p className="muted">Loading the payment form…</p>;
  if (!config.stripePublishableKey) return <p className="form-errors">This shop has no payment provider configured.</p>;
  return (
    <StripeElements
      publishableKey={config.stripePublishableKey}
      clientSecret={clientSecret}
      onDone={(o) => (o.paid ? onPaid() : onDeclined(o.message))}
    />
  );
}
