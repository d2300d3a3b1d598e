// One customer: profile, addresses, their orders (orders(customerId)), and disable / enable.
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AdminCustomerOrdersDocument, SetCustomerDisabledDocument, SiteCustomerDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FormErrors, RequestError } from '../../../shared/user-errors';
import { Loading, NoAccess, StateBadge, when } from '../components';
import { asUserErrors, isForbidden } from '../errors';
import { useSite } from '../Layout';

export function CustomerPage() {
  const site = useSite();
  const { customerId } = useParams();
  const [r] = useQuery({ query: SiteCustomerDocument, variables: { siteId: site.id, id: customerId! } });
  const [orders] = useQuery({ query: AdminCustomerOrdersDocument, variables: { siteId: site.id, customerId: customerId! } });
  const [setState, setDisabled] = useMutation(SetCustomerDisabledDocument);
  const c = r.data?.siteCustomer;
  if (!c) {
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="customer" />;
  }
  const errors = asUserErrors(setState.data?.setCustomerDisabled.userErrors);
  return (
    <>
      <h1>{c.email}</h1>
      <p className="row">
        {c.disabled ? <span className="badge danger">disabled</span> : <span className="badge ok">active</span>}
        <span className="muted">customer since {when(c.createdAt)}</span>
      </p>
      <RequestError error={setState.error} />
      <FormErrors errors={errors} />
      <div className="card">
        <p>{c.name ? `Name: ${c.name}` : 'No name given.'}</p>
        <p className="muted">
          {c.disabled
            ? 'A disabled customer cannot sign in. Enabling does not revive old sessions.'
            : 'Disabling refuses every token of the customer at once.'}
        </p>
        <button
          type="button"
          className={c.disabled ? '' : 'danger'}
          disabled={setState.fetching}
          onClick={() => void setDisabled({ siteId: site.id, customerId: c.id, disabled: !c.disabled })}
        >
          {c.disabled ? 'Enable customer' : 'Disable customer'}
        </button>
      </div>
      <h2>Addresses</h2>
      {c.addresses.length === 0 ? (
        <p className="muted">No saved address.</p>
      ) : (
        <ul>
          {c.addresses.map((a) => (
            <li key={a.id}>
              {a.name}, {a.line1}
              {a.line2 ? `, ${a.line2}` : ''}, {a.postalCode} {a.city}, {a.country}
            </li>
          ))}
        </ul>
      )}
      <h2>Orders</h2>
      {!orders.data ? (
        <Loading fetching={orders.fetching} error={orders.error} />
      ) : orders.data.orders.edges.length === 0 ? (
        <p className="muted">No orders.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Order</th>
              <th>State</th>
              <th>Total</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.orders.edges.map(({ node: o }) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/sites/${site.id}/orders/${o.id}`}>{o.id.slice(0, 8)}</Link>
                </td>
                <td>
                  <StateBadge state={o.state} />
                </td>
                <td>{money(o.totalMinor, o.currency)}</td>
                <td>{when(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
