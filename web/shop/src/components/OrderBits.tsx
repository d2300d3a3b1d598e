import type { CartOrderFragment, OrderState } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';

const TONE: Record<OrderState, string> = {
  DRAFT: 'state',
  PENDING_PAYMENT: 'warn',
  PAYMENT_AUTHORIZED: 'warn',
  CONFIRMED: 'ok',
  PAYMENT_FAILED: 'danger',
  EXPIRED: 'danger',
  REFUNDED: 'state',
};

/** The order's state as the API names it, so what the shopper sees matches the history and the admin console. */
export function StateBadge({ state }: { state: OrderState }) {
  return (
    <span className={`badge ${TONE[state]}`} data-state={state}>
      {state}
    </span>
  );
}

/** The lines of an order, read-only, with its total. */
export function OrderSummary({ order }: { order: Pick<CartOrderFragment, 'lines' | 'totalMinor' | 'currency'> }) {
  return (
    <table className="order-lines">
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Quantity</th>
          <th scope="col">Price</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((l) => (
          <tr key={l.id}>
            <td>{l.product.name}</td>
            <td>{l.quantity}</td>
            <td>{money(l.unitPriceMinor, order.currency)}</td>
            <td>{money(l.lineTotalMinor, order.currency)}</td>
          </tr>
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
  );
}

/** States after checkout whose order the cart can no longer change: the next add starts a new cart. */
export const isClosed = (state: OrderState) => state === 'CONFIRMED' || state === 'EXPIRED' || state === 'REFUNDED';
