import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ProductsDocument, type ProductsQuery } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FieldError, RequestError, type UserError } from '../../../shared/user-errors';
import { useAddToCart, useCart } from '../cart';
import { invalidProps } from '../errors';
import { useSession } from '../session';

type Product = ProductsQuery['products']['edges'][number]['node'];

/** The site's catalogue with what is available of each, and an add-to-cart per product. */
export function Products() {
  const { siteId } = useSession();
  const [products] = useQuery({ query: ProductsDocument, variables: { siteId, first: 50 } });
  const [cart] = useCart();
  const order = cart.data?.cart;
  return (
    <>
      <h1>Products</h1>
      {order && (order.state === 'PENDING_PAYMENT' || order.state === 'PAYMENT_FAILED') && (
        <p className="notice">
          Your order is waiting for its payment: <Link to={`/${siteId}/orders/${order.id}/pay`}>pay for it</Link>.
        </p>
      )}
      <RequestError error={products.error} />
      {products.fetching && !products.data && <p className="muted">Loading products…</p>}
      {products.data && !products.data.products.edges.length && <p className="muted">This shop has no products yet.</p>}
      <ul className="products">
        {products.data?.products.edges.map(({ node }) => (
          <ProductCard key={node.id} product={node} />
        ))}
      </ul>
    </>
  );
}

function ProductCard({ product }: { product: Product }) {
  const add = useAddToCart();
  const [quantity, setQuantity] = useState(1);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);
  const soldOut = product.available !== null && product.available <= 0;
  const field = `quantity-${product.id}`;

  async function submit() {
    setBusy(true);
    setAdded(false);
    const found = await add(product.id, quantity);
    // The API names `quantity`: shown under this product's quantity field.
    setErrors(found.map((e) => ({ ...e, field: e.field === 'quantity' ? field : e.field })));
    setAdded(!found.length);
    setBusy(false);
  }

  return (
    <li className="card product" data-sku={product.sku}>
      <h2>{product.name}</h2>
      <p className="price">{money(product.priceMinor, product.currency)}</p>
      <p className={soldOut ? 'availability sold-out' : 'availability'}>
        {product.available === null ? 'In stock' : soldOut ? 'Sold out' : `${product.available} available`}
      </p>
      <form
        className="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="inline" htmlFor={`q-${product.id}`}>
          Quantity
          <input
            id={`q-${product.id}`}
            className="quantity"
            type="number"
            min={1}
            value={quantity}
            onChange={(e) => setQuantity(Number(e.target.value))}
            {...invalidProps(errors, field)}
          />
        </label>
        <button type="submit" disabled={busy || soldOut}>
          Add to cart
        </button>
      </form>
      <FieldError errors={errors} field={field} />
      {errors
        .filter((e) => e.field !== field)
        .map((e, i) => (
          <p key={i} className="field-error" role="alert" data-code={e.code}>
            {e.message}
          </p>
        ))}
      {added && (
        <p className="added" role="status">
          Added to your cart.
        </p>
      )}
    </li>
  );
}
