import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { RequestError } from '../../../shared/user-errors';
import { OrderSummary, StateBadge } from '../components/OrderBits';
import { useOrderUntil } from '../poll';
import { useSession } from '../session';

/**
 * After paying: the order is CONFIRMED only when the gateway's webhook says so, so this page follows it (every
 * second, up to 30 s) and shows the state meanwhile. A failed payment goes on to the failure page.
 */
export function Confirmation() {
  const { siteId } = useSession();
  const { orderId } = useParams();
  const navigate = useNavigate();
  const { result, order, gaveUp } = useOrderUntil(orderId!, (s) => s !== 'PENDING_PAYMENT' && s !== 'PAYMENT_AUTHORIZED');

  useEffect(() => {
    if (order?.state === 'PAYMENT_FAILED') void navigate(`/${siteId}/orders/${order.id}/failed`, { replace: true });
  }, [order, siteId, navigate]);

  if (result.fetching && !result.data) return <p className="muted">Loading your order…</p>;
  if (!order) {
    return (
      <>
        <h1>Your order</h1>
        <RequestError error={result.error} />
        <p>This order is not yours or does not exist.</p>
      </>
    );
  }
  const confirmed = order.state === 'CONFIRMED';
  return (
    <>
      <h1>{confirmed ? 'Thank you: your order is confirmed' : 'Your order'}</h1>
      <p role="status" className={confirmed ? 'success' : 'notice'}>
        Order <code>{order.id}</code> is <StateBadge state={order.state} />
        {!confirmed && !gaveUp && (order.state === 'PENDING_PAYMENT' || order.state === 'PAYMENT_AUTHORIZED') && (
          <> — waiting for the payment provider to confirm the payment…</>
        )}
        {!confirmed && gaveUp && <> — the payment is not confirmed yet. Reload this page in a moment to see where it stands.</>}
      </p>
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">What you ordered</h2>
        <OrderSummary order={order} />
      </section>
      <p>
        <Link to={`/${siteId}`}>Continue shopping</Link>
      </p>
    </>
  );
}
