import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation } from 'urql';
import { RetryPaymentDocument } from '../../../../clients/generated/graphql';
import { FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { OrderSummary, StateBadge } from '../components/OrderBits';
import { userErrors } from '../errors';
import { useOrderUntil } from '../poll';
import { useSession } from '../session';

/**
 * A failed payment: the reason (the order's failureReason, the attempt's), the recovery deadline (README: a failed
 * payment may be retried for 24 h), and retryPayment, which opens a new attempt to pay on the payment page.
 */
export function PaymentFailed() {
  const { siteId } = useSession();
  const { orderId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  // The card's own answer, when the pay page came here at once: the webhook may not have failed the order yet.
  const declined = (location.state as { declined?: string } | null)?.declined;
  const { result, order, gaveUp } = useOrderUntil(orderId!, (s) => s !== 'PENDING_PAYMENT');
  const [retrying, retry] = useMutation(RetryPaymentDocument);
  const [errors, setErrors] = useState<UserError[]>([]);

  async function tryAgain() {
    const r = await retry({ siteId, orderId: orderId! });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const found = userErrors(r.data?.retryPayment.userErrors);
    setErrors(found);
    if (!found.length) void navigate(`/${siteId}/orders/${orderId}/pay`);
  }

  if (result.fetching && !result.data) return <p className="muted">Loading your order…</p>;
  if (!order) {
    return (
      <>
        <h1>Payment failed</h1>
        <RequestError error={result.error} />
        <p>This order is not yours or does not exist.</p>
      </>
    );
  }
  const attempt = order.paymentAttempts.at(-1);
  const reason = order.failureReason ?? attempt?.failureReason ?? declined;
  return (
    <>
      <h1>Payment failed</h1>
      <div className="form-errors" role="alert">
        <p>
          The payment of order <code>{order.id}</code> did not go through
          {reason ? (
            <>
              : <strong className="failure-reason">{reason}</strong>
            </>
          ) : (
            '.'
          )}
        </p>
      </div>
      <p>
        The order is <StateBadge state={order.state} />
        {order.state === 'PENDING_PAYMENT' && !gaveUp && <> — waiting for the payment provider…</>}.
      </p>
      {order.state === 'PAYMENT_FAILED' && (
        <>
          {order.recoveryDeadline && (
            <p>
              Your items are kept for you until{' '}
              <time dateTime={order.recoveryDeadline}>{new Date(order.recoveryDeadline).toLocaleString()}</time>: pay before then, with this
              card or another.
            </p>
          )}
          <FormErrors errors={errors} />
          <button type="button" onClick={() => void tryAgain()} disabled={retrying.fetching}>
            Try the payment again
          </button>
        </>
      )}
      {order.state === 'CONFIRMED' && (
        <p>
          It is paid now: <Link to={`/${siteId}/orders/${order.id}/confirmation`}>see the confirmation</Link>.
        </p>
      )}
      {order.paymentAttempts.length > 0 && (
        <section className="card" aria-labelledby="attempts-title">
          <h2 id="attempts-title">Payment attempts</h2>
          <ol className="attempts">
            {order.paymentAttempts.map((a) => (
              <li key={a.id}>
                <time dateTime={a.createdAt}>{new Date(a.createdAt).toLocaleString()}</time>: {a.status}
                {a.failureReason && <> ({a.failureReason})</>}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">Your order</h2>
        <OrderSummary order={order} />
      </section>
    </>
  );
}
