import { useLayoutEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  AddCustomerAddressDocument,
  CheckoutDocument,
  CurrentCustomerDocument,
  SetCheckoutDetailsDocument,
  ShopCheckoutCartDocument,
  type AddressInput,
  type CheckoutDetailsInput,
  type CustomerAccountFragment,
} from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { AddressFields, EMPTY_ADDRESS, addressInput, fromAddress } from '../components/AddressFields';
import { Field } from '../components/Field';
import { OrderSummary } from '../components/OrderBits';
import { userErrors } from '../errors';
import { useSession } from '../session';

/** Every field this form shows: a userError naming another one is shown above the form. */
const FIELDS = [
  'input.email',
  'input.shippingAddressId',
  'input.billingAddressId',
  'lines',
  ...['shippingAddress', 'billingAddress'].flatMap((a) =>
    ['name', 'line1', 'line2', 'city', 'postalCode', 'country'].map((f) => `input.${a}.${f}`),
  ),
];
const NEW = 'new';

const requestError = (e: { message: string }): UserError[] => [{ code: 'REQUEST', message: e.message.replace(/^\[\w+\] /, '') }];

/**
 * The checkout details (setCheckoutDetails: email, shipping and billing address; a signed-in customer may pick a
 * saved address or save the one typed in), then checkout: the stock is reserved and a payment session opened.
 */
export function Checkout() {
  const { siteId, customerToken } = useSession();
  const navigate = useNavigate();
  const [cart] = useQuery({ query: ShopCheckoutCartDocument, variables: { siteId } });
  const [me] = useQuery({ query: CurrentCustomerDocument, variables: { siteId }, pause: !customerToken });
  const customer = me.data?.customer ?? null;
  const order = cart.data?.cart;

  const [email, setEmail] = useState('');
  const [shipping, setShipping] = useState<AddressInput>(EMPTY_ADDRESS);
  const [billing, setBilling] = useState<AddressInput>(EMPTY_ADDRESS);
  const [billingSame, setBillingSame] = useState(true);
  const [shippingId, setShippingId] = useState(NEW);
  const [billingId, setBillingId] = useState(NEW);
  const [saveAddress, setSaveAddress] = useState(false);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [busy, setBusy] = useState(false);
  const [prefilled, setPrefilled] = useState(false);

  const [, addAddress] = useMutation(AddCustomerAddressDocument);
  const [, setDetails] = useMutation(SetCheckoutDetailsDocument);
  const [, checkout] = useMutation(CheckoutDocument);

  // Opens with what the cart already has (a reload, a step back from payment), else the customer's own details.
  // A layout effect: it runs before the browser paints, so the form never shows (nor takes a click on) its empty
  // first state once the cart and the customer are loaded.
  useLayoutEffect(() => {
    if (prefilled || !cart.data || (customerToken && !me.data)) return;
    const c = cart.data.cart;
    setEmail(c?.email ?? customer?.email ?? '');
    if (c?.shippingAddress) setShipping(fromAddress(c.shippingAddress));
    else if (customer?.addresses.length) setShippingId(customer.addresses[0].id);
    if (c?.billingAddress) {
      setBilling(fromAddress(c.billingAddress));
      setBillingSame(JSON.stringify(c.billingAddress) === JSON.stringify(c.shippingAddress));
    }
    setPrefilled(true);
  }, [cart.data, me.data, customer, customerToken, prefilled]);

  if (cart.fetching && !cart.data) return <p className="muted">Loading your cart…</p>;
  if (!order || !order.lines.length || order.state !== 'DRAFT') {
    return (
      <>
        <h1>Checkout</h1>
        <RequestError error={cart.error} />
        {order && (order.state === 'PENDING_PAYMENT' || order.state === 'PAYMENT_FAILED') ? (
          <p>
            This order is checked out: <Link to={`/${siteId}/orders/${order.id}/pay`}>go to the payment</Link>.
          </p>
        ) : (
          <p>
            Your cart is empty. <Link to={`/${siteId}`}>See the products</Link>.
          </p>
        )}
      </>
    );
  }

  const named = (message: string) => order!.lines.reduce((m, l) => m.replaceAll(`product ${l.product.id}`, l.product.name), message);

  async function submit() {
    setBusy(true);
    try {
      setErrors((await place()) ?? []);
    } finally {
      setBusy(false);
    }
  }

  /** The refusals to show, or nothing once the order went on to its payment. */
  async function place(): Promise<UserError[] | void> {
    let shippingAddressId = shippingId === NEW ? null : shippingId;
    if (customer && !shippingAddressId && saveAddress) {
      const saved = await addAddress({ siteId, input: addressInput(shipping) });
      if (saved.error) return requestError(saved.error);
      // The saved address's fields are the shipping address's here: input.line1 is input.shippingAddress.line1.
      const found = userErrors(saved.data?.addCustomerAddress.userErrors).map((e) => ({
        ...e,
        field: e.field?.replace(/^input\./, 'input.shippingAddress.') ?? null,
      }));
      if (found.length) return found;
      shippingAddressId = saved.data!.addCustomerAddress.address!.id;
      setShippingId(shippingAddressId);
    }
    const input: CheckoutDetailsInput = { email };
    if (shippingAddressId) input.shippingAddressId = shippingAddressId;
    else input.shippingAddress = addressInput(shipping);
    if (billingSame) {
      if (shippingAddressId) input.billingAddressId = shippingAddressId;
      else input.billingAddress = addressInput(shipping);
    } else if (billingId !== NEW) input.billingAddressId = billingId;
    else input.billingAddress = addressInput(billing);

    const details = await setDetails({ siteId, input });
    if (details.error) return requestError(details.error);
    const refused = userErrors(details.data?.setCheckoutDetails.userErrors);
    if (refused.length) return refused;

    const done = await checkout({ siteId });
    if (done.error) return requestError(done.error);
    const payload = done.data!.checkout;
    // INSUFFICIENT_STOCK names products by id: the shopper reads their names.
    if (payload.userErrors.length || !payload.order)
      return userErrors(payload.userErrors).map((e) => ({ ...e, message: named(e.message) }));
    void navigate(`/${siteId}/orders/${payload.order.id}/pay`);
  }

  const short = order.lines.filter((l) => l.available !== null && l.available < l.quantity);
  return (
    <>
      <h1>Checkout</h1>
      <div className="checkout">
        <form
          className="stack"
          noValidate
          aria-label="Checkout details"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <FormErrors errors={errors} fields={FIELDS} />
          <Field
            label="Email"
            field="input.email"
            errors={errors}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <fieldset>
            <legend>Shipping address</legend>
            {customer && (
              <SavedAddressPicker
                which="shippingAddressId"
                customer={customer}
                value={shippingId}
                onChange={setShippingId}
                errors={errors}
              />
            )}
            {shippingId === NEW && (
              <>
                <AddressFields prefix="input.shippingAddress" value={shipping} onChange={setShipping} errors={errors} />
                {customer && (
                  <label className="inline">
                    <input type="checkbox" checked={saveAddress} onChange={(e) => setSaveAddress(e.target.checked)} />
                    Save this address to my account
                  </label>
                )}
              </>
            )}
          </fieldset>
          <fieldset>
            <legend>Billing address</legend>
            <label className="inline">
              <input type="checkbox" checked={billingSame} onChange={(e) => setBillingSame(e.target.checked)} />
              Same as the shipping address
            </label>
            {!billingSame && customer && (
              <SavedAddressPicker which="billingAddressId" customer={customer} value={billingId} onChange={setBillingId} errors={errors} />
            )}
            {!billingSame && billingId === NEW && (
              <AddressFields prefix="input.billingAddress" value={billing} onChange={setBilling} errors={errors} />
            )}
          </fieldset>
          <button type="submit" disabled={busy}>
            Continue to payment
          </button>
        </form>
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">Your order</h2>
          <OrderSummary order={order} />
          {/* INSUFFICIENT_STOCK at checkout names `lines`: shown here, with the lines that no longer fit. */}
          <FieldError errors={errors} field="lines" />
          {short.length > 0 && (
            <ul className="short-lines">
              {short.map((l) => (
                <li key={l.id} className="field-error">
                  {l.product.name}: {l.available} available, {l.quantity} in your cart. <Link to={`/${siteId}/cart`}>Change your cart</Link>
                  .
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

/** One of the customer's saved addresses (by id, as setCheckoutDetails takes it), or a new one typed in. */
function SavedAddressPicker({
  which,
  customer,
  value,
  onChange,
  errors,
}: {
  which: 'shippingAddressId' | 'billingAddressId';
  customer: CustomerAccountFragment;
  value: string;
  onChange(id: string): void;
  errors: readonly UserError[];
}) {
  if (!customer.addresses.length) return null;
  const field = `input.${which}`;
  return (
    <div className="saved-addresses" role="radiogroup" aria-label="Saved addresses">
      {customer.addresses.map((a) => (
        <label key={a.id} className="inline">
          <input type="radio" name={which} value={a.id} checked={value === a.id} onChange={() => onChange(a.id)} />
          {a.name}, {a.line1}, {a.postalCode} {a.city}, {a.country}
        </label>
      ))}
      <label className="inline">
        <input type="radio" name={which} value={NEW} checked={value === NEW} onChange={() => onChange(NEW)} />A new address
      </label>
      <FieldError errors={errors} field={field} />
    </div>
  );
}
