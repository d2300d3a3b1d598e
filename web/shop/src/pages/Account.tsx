import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  AddCustomerAddressDocument,
  CurrentCustomerDocument,
  CustomerLogoutDocument,
  MyOrdersDocument,
  RemoveCustomerAddressDocument,
  type AddressInput,
} from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { AddressFields, EMPTY_ADDRESS, addressInput } from '../components/AddressFields';
import { StateBadge } from '../components/OrderBits';
import { userErrors } from '../errors';
import { useSession } from '../session';

/** The signed-in customer: order history (myOrders, newest first), saved addresses, and logout. */
export function Account() {
  const session = useSession();
  const { siteId, customerToken } = session;
  const navigate = useNavigate();
  const [me] = useQuery({ query: CurrentCustomerDocument, variables: { siteId }, pause: !customerToken });
  const [orders] = useQuery({ query: MyOrdersDocument, variables: { siteId, first: 20 }, pause: !customerToken });
  const [, logout] = useMutation(CustomerLogoutDocument);

  if (!customerToken) {
    return (
      <>
        <h1>My account</h1>
        <p>
          <Link to={`/${siteId}/login`}>Sign in</Link> or <Link to={`/${siteId}/signup`}>create an account</Link>.
        </p>
      </>
    );
  }
  const customer = me.data?.customer;

  async function signOut() {
    // customerLogout ends every session of the customer; the token is dropped here whatever it answers.
    await logout({ siteId });
    session.setCustomerToken(null);
    session.setCartToken(null);
    void navigate(`/${siteId}`);
  }

  return (
    <>
      <h1>My account</h1>
      <RequestError error={me.error ?? orders.error} />
      {customer && (
        <p>
          Signed in as <strong>{customer.email}</strong>
          {customer.name && <> ({customer.name})</>}.{' '}
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      )}
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">My orders</h2>
        {orders.data && !orders.data.myOrders.edges.length && <p className="muted">No orders yet.</p>}
        {orders.data && orders.data.myOrders.edges.length > 0 && (
          <table className="my-orders">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Date</th>
                <th scope="col">State</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.myOrders.edges.map(({ node }) => (
                <tr key={node.id} data-order={node.id}>
                  <td>
                    <Link to={`/${siteId}/orders/${node.id}/${node.state === 'PAYMENT_FAILED' ? 'failed' : 'confirmation'}`}>
                      <code>{node.id.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td>
                    <time dateTime={node.createdAt}>{new Date(node.createdAt).toLocaleString()}</time>
                  </td>
                  <td>
                    <StateBadge state={node.state} />
                  </td>
                  <td>{money(node.totalMinor, node.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {customer && <Addresses addresses={customer.addresses} />}
    </>
  );
}

function Addresses({
  addresses,
}: {
  addresses: { id: string; name: string; line1: string; city: string; postalCode: string; country: string }[];
}) {
  const { siteId } = useSession();
  const [address, setAddress] = useState<AddressInput>(EMPTY_ADDRESS);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [adding, add] = useMutation(AddCustomerAddressDocument);
  const [, remove] = useMutation(RemoveCustomerAddressDocument);

  async function save() {
    const r = await add({ siteId, input: addressInput(address) });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    const found = userErrors(r.data?.addCustomerAddress.userErrors);
    setErrors(found);
    if (!found.length) setAddress(EMPTY_ADDRESS);
  }

  return (
    <section aria-labelledby="addresses-title">
      <h2 id="addresses-title">Saved addresses</h2>
      {!addresses.length && <p className="muted">None yet: save one here or at checkout.</p>}
      <ul className="addresses">
        {addresses.map((a) => (
          <li key={a.id} className="row">
            {a.name}, {a.line1}, {a.postalCode} {a.city}, {a.country}
            <button type="button" className="secondary" onClick={() => void remove({ siteId, addressId: a.id })}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="stack"
        noValidate
        aria-label="New address"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <FormErrors errors={errors} fields={['name', 'line1', 'line2', 'city', 'postalCode', 'country'].map((f) => `input.${f}`)} />
        <AddressFields prefix="input" value={address} onChange={setAddress} errors={errors} />
        <button type="submit" disabled={adding.fetching}>
          Save the address
        </button>
      </form>
    </section>
  );
}
