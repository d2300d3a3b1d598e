// orders(siteId, state): a page of summaries, filtered by state; "Next page" follows the cursor in the URL.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { OrdersDocument, type OrderState } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { Loading, Pager, StateBadge, when } from '../components';
import { useSite } from '../Layout';

const STATES: OrderState[] = ['DRAFT', 'PENDING_PAYMENT', 'PAYMENT_AUTHORIZED', 'CONFIRMED', 'PAYMENT_FAILED', 'EXPIRED', 'REFUNDED'];

export function OrdersPage() {
  const site = useSite();
  const [params, setParams] = useSearchParams();
  const state = (STATES as string[]).includes(params.get('state') ?? '') ? (params.get('state') as OrderState) : null;
  const after = params.get('after');
  const [r] = useQuery({ query: OrdersDocument, variables: { siteId: site.id, state, first: 25, after } });
  const page = r.data?.orders;

  const set = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
  };
  return (
    <>
      <h1>Orders of {site.name}</h1>
      <div className="row toolbar">
        <label className="inline">
          State
          <select value={state ?? ''} onChange={(e) => set({ state: e.target.value || null, after: null })}>
            <option value="">Any state</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!page ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : page.edges.length === 0 ? (
        <p className="muted">No orders{state ? ` in state ${state}` : ''}.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Order</th>
              <th>State</th>
              <th>Email</th>
              <th>Total</th>
              <th>Flags</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: o }) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/sites/${site.id}/orders/${o.id}`}>{o.id.slice(0, 8)}</Link>
                </td>
                <td>
                  <StateBadge state={o.state} />
                </td>
                <td>{o.email ?? <span className="muted">none yet</span>}</td>
                <td>{money(o.totalMinor, o.currency)}</td>
                <td className="row">
                  {o.needsRefund && <span className="badge danger">needs refund</span>}
                  {o.disputed && <span className="badge danger">disputed{o.disputeOutcome ? `: ${o.disputeOutcome}` : ''}</span>}
                </td>
                <td>{when(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager after={after} pageInfo={page?.pageInfo} go={(cursor) => set({ after: cursor })} />
    </>
  );
}
