// products(siteId) and createProduct. A product's page opens with the cursor of the row before it: the API has no
// product-by-id query, and one product's ledger is all a query may carry (the query cost).
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AdminProductsDocument, CreateProductDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Loading, Pager } from '../components';
import { asUserErrors, fieldProps } from '../errors';
import { useSite } from '../Layout';

const FIELDS = ['sku', 'name', 'priceMinor'];

export function ProductsPage() {
  const site = useSite();
  const [params, setParams] = useSearchParams();
  const after = params.get('after');
  const [r, refetch] = useQuery({ query: AdminProductsDocument, variables: { siteId: site.id, first: 50, after } });
  const page = r.data?.products;
  return (
    <>
      <h1>Products of {site.name}</h1>
      {!page ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : page.edges.length === 0 ? (
        <p className="muted">No products yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>SKU</th>
              <th>Price</th>
              <th>On hand</th>
              <th>Available</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: p }, i) => {
              // The cursor of the row before: the product page asks for the one product after it.
              const before = i === 0 ? after : page.edges[i - 1].cursor;
              return (
                <tr key={p.id}>
                  <td>
                    <Link to={`/sites/${site.id}/products/${p.id}${before ? `?after=${encodeURIComponent(before)}` : ''}`}>{p.name}</Link>
                  </td>
                  <td>
                    <code>{p.sku}</code>
                  </td>
                  <td>{money(p.priceMinor, p.currency)}</td>
                  <td>{p.stockOnHand ?? <span className="muted">untracked</span>}</td>
                  <td>{p.available ?? <span className="muted">unlimited</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager after={after} pageInfo={page?.pageInfo} go={(cursor) => setParams(cursor ? { after: cursor } : {})} />
      <CreateProduct siteId={site.id} currency={site.currency} onCreated={() => refetch({ requestPolicy: 'network-only' })} />
    </>
  );
}

function CreateProduct({ siteId, currency, onCreated }: { siteId: string; currency: string; onCreated: () => void }) {
  const [sku, setSku] = useState('');
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, create] = useMutation(CreateProductDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const priceMinor = Number(price);
    if (price.trim() === '' || !Number.isInteger(priceMinor)) {
      return setErrors([
        { code: 'VALIDATION', message: 'The price is a whole number of minor units (1999 is 19.99).', field: 'priceMinor' },
      ]);
    }
    const r = await create({ siteId, input: { sku, name, priceMinor } });
    const errs = asUserErrors(r.data?.createProduct.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.createProduct.product) {
      setSku('');
      setName('');
      setPrice('');
      onCreated();
    }
  };
  return (
    <section className="card">
      <h2>New product</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={FIELDS} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="New product">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} {...fieldProps(errors, 'name')} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          SKU
          <input value={sku} onChange={(e) => setSku(e.target.value)} {...fieldProps(errors, 'sku')} />
          <FieldError errors={errors} field="sku" />
        </label>
        <label>
          Price in minor units ({currency}){Number.isInteger(Number(price)) && price ? `: ${money(Number(price), currency)}` : ''}
          <input inputMode="numeric" value={price} onChange={(e) => setPrice(e.target.value)} {...fieldProps(errors, 'priceMinor')} />
          <FieldError errors={errors} field="priceMinor" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Create product
        </button>
      </form>
    </section>
  );
}
