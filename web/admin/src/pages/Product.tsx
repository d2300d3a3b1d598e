// One product: its stock (setStock to a count or untracked, adjustStock by a delta; both with a reason) and its
// stock ledger (Product.stockMovements, newest first).
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AdjustStockDocument, SetStockDocument, AdminProductLedgerDocument } from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Loading, NoAccess, when } from '../components';
import { asUserErrors, fieldProps, isForbidden } from '../errors';
import { useSite } from '../Layout';
import { ProductEdit } from './ProductEdit';

export function ProductPage() {
  const site = useSite();
  const { productId } = useParams();
  const [params] = useSearchParams();
  const [r, refetch] = useQuery({ query: AdminProductLedgerDocument, variables: { siteId: site.id, after: params.get('after') } });
  const p = r.data?.products.edges[0]?.node;
  if (!p || p.id !== productId) {
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return (
      <>
        <NoAccess what="product" />
        <Link to={`/sites/${site.id}/products`}>Back to the products</Link>
      </>
    );
  }
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <p>
        <Link to={`/sites/${site.id}/products`}>← Products</Link>
      </p>
      <h1>{p.name}</h1>
      <div className="cards">
        <div className="card">
          <div className="muted">SKU</div>
          <div className="stat">
            <code>{p.sku}</code>
          </div>
        </div>
        <div className="card">
          <div className="muted">On hand</div>
          <div className="stat" data-testid="on-hand">
            {p.stockOnHand ?? 'untracked'}
          </div>
        </div>
        <div className="card">
          <div className="muted">Available</div>
          <div className="stat">{p.available ?? 'unlimited'}</div>
        </div>
      </div>
      <ProductEdit siteId={site.id} productId={p.id} name={p.name} priceMinor={p.priceMinor} currency={p.currency} onSaved={reload} />
      <div className="grid-2">
        <SetStock siteId={site.id} productId={p.id} onDone={reload} />
        <AdjustStock siteId={site.id} productId={p.id} onDone={reload} />
      </div>
      <h2>Stock ledger</h2>
      {p.stockMovements.edges.length === 0 ? (
        <p className="muted">No stock movement yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Kind</th>
              <th>On hand</th>
              <th>Reserved</th>
              <th>Reason</th>
              <th>Actor</th>
              <th>Order</th>
            </tr>
          </thead>
          <tbody>
            {p.stockMovements.edges.map(({ node: m }) => (
              <tr key={m.id}>
                <td>{when(m.at)}</td>
                <td>{m.kind}</td>
                <td>{signed(m.onHandDelta)}</td>
                <td>{signed(m.reservedDelta)}</td>
                <td>{m.reason}</td>
                <td>{m.actor}</td>
                <td>{m.orderId && <Link to={`/sites/${site.id}/orders/${m.orderId}`}>{m.orderId.slice(0, 8)}</Link>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.stockMovements.pageInfo.hasNextPage && <p className="muted">Only the 50 newest movements are shown.</p>}
    </>
  );
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function SetStock({ siteId, productId, onDone }: { siteId: string; productId: string; onDone: () => void }) {
  const [count, setCount] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, send] = useMutation(SetStockDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Empty: untracked (sells without limit).
    const stockOnHand = count.trim() === '' ? null : Number(count);
    if (stockOnHand !== null && !Number.isInteger(stockOnHand)) {
      return setErrors([{ code: 'VALIDATION', message: 'A whole number, or empty for untracked.', field: 'stockOnHand' }]);
    }
    const r = await send({ siteId, productId, stockOnHand, reason });
    const errs = asUserErrors(r.data?.setStock.userErrors);
    setErrors(errs);
    if (!errs.length) {
      setCount('');
      setReason('');
      onDone();
    }
  };
  return (
    <section className="card">
      <h2>Set stock</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['stockOnHand', 'reason']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Set stock">
        <label>
          On hand (empty: untracked)
          <input inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} {...fieldProps(errors, 'stockOnHand')} />
          <FieldError errors={errors} field="stockOnHand" />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} {...fieldProps(errors, 'reason')} />
          <FieldError errors={errors} field="reason" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Set stock
        </button>
      </form>
    </section>
  );
}

function AdjustStock({ siteId, productId, onDone }: { siteId: string; productId: string; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, send] = useMutation(AdjustStockDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(delta);
    if (delta.trim() === '' || !Number.isInteger(n)) {
      return setErrors([{ code: 'VALIDATION', message: 'A whole number: positive adds, negative removes.', field: 'delta' }]);
    }
    const r = await send({ siteId, productId, delta: n, reason });
    const errs = asUserErrors(r.data?.adjustStock.userErrors);
    setErrors(errs);
    if (!errs.length) {
      setDelta('');
      setReason('');
      onDone();
    }
  };
  return (
    <section className="card">
      <h2>Adjust stock</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['delta', 'reason']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Adjust stock">
        <label>
          Change (e.g. 5 or -2)
          <input inputMode="numeric" value={delta} onChange={(e) => setDelta(e.target.value)} {...fieldProps(errors, 'delta')} />
          <FieldError errors={errors} field="delta" />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} {...fieldProps(errors, 'reason')} />
          <FieldError errors={errors} field="reason" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Adjust stock
        </button>
      </form>
    </section>
  );
}
