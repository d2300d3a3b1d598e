// One order: its lines, its history as a timeline, its payment attempts (with failure reasons and disputes), refund.
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { OrderDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { Loading, NoAccess, StateBadge, when } from '../components';
import { isForbidden } from '../errors';
import { useSite } from '../Layout';
import { RefundForm } from './RefundForm';

export function OrderPage() {
  const site = useSite();
  const { orderId } = useParams();
  const [r] = useQuery({ query: OrderDocument, variables: { siteId: site.id, id: orderId! } });
  const o = r.data?.order;
  if (!o) {
    // Another site's order answers FORBIDDEN or null: no data, the same words.
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="order" />;
  }
  const refundable = o.state === 'CONFIRMED' || o.needsRefund;
  return (
    <>
      <h1>
        Order <code>{o.id}</code>
      </h1>
      <p className="row">
        <StateBadge state={o.state} />
        {o.needsRefund && <span className="badge danger">needs refund</span>}
        {o.disputed && <span className="badge danger">disputed{o.disputeOutcome ? `: ${o.disputeOutcome}` : ' (open)'}</span>}
      </p>
      <div className="cards">
        <div className="card">
          <div className="muted">Total</div>
          <div className="stat">{money(o.totalMinor, o.currency)}</div>
        </div>
        <div className="card">
          <div className="muted">Email</div>
          <div>{o.email ?? 'none'}</div>
        </div>
        <div className="card">
          <div className="muted">Created</div>
          <div>{when(o.createdAt)}</div>
        </div>
        {o.failureReason && (
          <div className="card">
            <div className="muted">Latest failure</div>
            <div>{o.failureReason}</div>
            {o.recoveryDeadline && <div className="muted">Retry possible until {when(o.recoveryDeadline)}</div>}
          </div>
        )}
      </div>

      <h2>Lines</h2>
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Quantity</th>
            <th>Unit price</th>
            <th>Line total</th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.id}>
              <td>
                {l.product.name} <span className="muted">({l.product.sku})</span>
              </td>
              <td>{l.quantity}</td>
              <td>{money(l.unitPriceMinor, o.currency)}</td>
              <td>{money(l.lineTotalMinor, o.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="grid-2">
        <section>
          <h2>History</h2>
          <ol className="timeline" aria-label="Order history" data-testid="history">
            {o.history.map((h, i) => (
              <li key={i}>
                <strong>
                  {h.from ?? 'new'} → {h.to}
                </strong>
                <div className="muted">
                  {when(h.at)} · {h.actor}
                </div>
                {h.reason && <div className="reason">Reason: {h.reason}</div>}
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h2>Payment attempts</h2>
          {o.paymentAttempts.length === 0 ? (
            <p className="muted">No payment attempt yet.</p>
          ) : (
            <ul className="attempts">
              {o.paymentAttempts.map((a) => (
                <li key={a.id} className="card">
                  <div className="row">
                    <span className={`badge ${a.status === 'SUCCEEDED' ? 'ok' : a.status === 'FAILED' ? 'danger' : 'state'}`}>
                      {a.status}
                    </span>
                    <strong>{money(a.amountMinor, o.currency)}</strong>
                    {a.needsRefund && <span className="badge danger">needs refund</span>}
                    {a.refundedMinor > 0 && <span className="badge warn">refunded {money(a.refundedMinor, o.currency)}</span>}
                  </div>
                  <div className="muted">{when(a.createdAt)}</div>
                  {a.failureReason && <div>Failure reason: {a.failureReason}</div>}
                  {a.dispute && (
                    <div>
                      <span className="badge danger">dispute {a.dispute.closed ? `closed: ${a.dispute.status}` : a.dispute.status}</span>{' '}
                      {money(a.dispute.amountMinor, o.currency)}
                      {a.dispute.reason && ` · ${a.dispute.reason}`}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {refundable && <RefundForm siteId={site.id} orderId={o.id} total={money(o.totalMinor, o.currency)} />}
    </>
  );
}
