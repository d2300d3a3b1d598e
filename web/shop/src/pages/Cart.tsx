import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { UpdateCartLineDocument, type CartOrderFragment } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { useCart } from '../cart';
import { StateBadge, isClosed } from '../components/OrderBits';
import { invalidProps, userErrors } from '../errors';
import { useSession } from '../session';

type Line = CartOrderFragment['lines'][number];

/** The cart's lines with their quantities to change (0 removes a line: updateCartLine), then on to checkout. */
export function Cart() {
  const { siteId } = useSession();
  const [cart] = useCart();
  const order = cart.data?.cart;
  if (cart.fetching && !cart.data) return <p className="muted">Loading your cart…</p>;
  if (!order || isClosed(order.state) || !order.lines.length) {
    return (
      <>
        <h1>Your cart</h1>
        <RequestError error={cart.error} />
        <p>
          Your cart is empty. <Link to={`/${siteId}`}>See the products</Link>.
        </p>
        {order && isClosed(order.state) && (
          <p className="muted">
            Your last order is <StateBadge state={order.state} />: <Link to={`/${siteId}/orders/${order.id}/confirmation`}>see it</Link>.
          </p>
        )}
      </>
    );
  }
  if (order.state !== 'DRAFT') {
    return (
      <>
        <h1>Your order</h1>
        <p>
          Your order is <StateBadge state={order.state} /> and can no longer be changed.{' '}
          <Link to={`/${siteId}/orders/${order.id}/pay`}>Go to the payment</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Your cart</h1>
      <RequestError error={cart.error} />
      <table className="order-lines">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <CartLine key={line.id} line={line} currency={order.currency} />
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="total">{money(order.totalMinor, order.currency)}</td>
          </tr>
        </tfoot>
      </table>
      <p>
        <Link className="button" to={`/${siteId}/checkout`}>
          Checkout
        </Link>
      </p>
    </>
  );
}

function CartLine({ line, currency }: { line: Line; currency: string }) {
  const { siteId } = useSession();
  const [quantity, setQuantity] = useState(line.quantity);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [updating, update] = useMutation(UpdateCartLineDocument);
  const field = `quantity-${line.id}`;

  async function save(next: number) {
    const r = await update({ siteId, lineId: line.id, quantity: next });
    if (r.error) return setErrors([{ code: 'REQUEST', message: r.error.message.replace(/^\[\w+\] /, '') }]);
    // The API names `quantity`: shown under this line's quantity field.
    setErrors(userErrors(r.data?.updateCartLine.userErrors).map((e) => ({ ...e, field: e.field === 'quantity' ? field : e.field })));
  }

  return (
    <tr data-line={line.product.sku}>
      <td>
        {line.product.name}
        {line.available !== null && <div className="muted">{line.available} available</div>}
      </td>
      <td>{money(line.unitPriceMinor, currency)}</td>
      <td>
        <form
          className="row"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(quantity);
          }}
        >
          <label className="visually-hidden" htmlFor={`line-${line.id}`}>
            Quantity of {line.product.name}
          </label>
          <input
            id={`line-${line.id}`}
            className="quantity"
            type="number"
            min={0}
            value={quantity}
            onChange={(e) => setQuantity(Number(e.target.value))}
            {...invalidProps(errors, field)}
          />
          <button type="submit" className="secondary" disabled={updating.fetching}>
            Update
          </button>
          <button type="button" className="secondary" disabled={updating.fetching} onClick={() => void save(0)}>
            Remove
          </button>
        </form>
        <FieldError errors={errors} field={field} />
        <FormErrors errors={errors} fields={[field]} />
      </td>
      <td>{money(line.lineTotalMinor, currency)}</td>
    </tr>
  );
}
