// One product: its stock (setStock to a count or untracked, adjustStock by a delta; both with a reason) and its
// stock ledger (Product.stockMovements, newest first).
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
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
  const [state, send] = useMutation(SetStockDocument);
  return (
    <StockForm
      title="Set stock"
      field="stockOnHand"
      label="On hand (empty: untracked)"
      // Empty: untracked (sells without limit).
      parse={(text) => (text.trim() === '' ? { value: null } : wholeNumber(text, 'A whole number, or empty for untracked.'))}
      state={state}
      send={async (stockOnHand, reason) => asUserErrors((await send({ siteId, productId, stockOnHand, reason })).data?.setStock.userErrors)}
      onDone={onDone}
    />
  );
}

function AdjustStock({ siteId, productId, onDone }: { siteId: string; productId: string; onDone: () => void }) {
  const [state, send] = useMutation(AdjustStockDocument);
  return (
    <StockForm
      title="Adjust stock"
      field="delta"
      label="Change (e.g. 5 or -2)"
      parse={(text) => wholeNumber(text, 'A whole number: positive adds, negative removes.')}
      state={state}
      send={async (delta, reason) => asUserErrors((await send({ siteId, productId, delta, reason })).data?.adjustStock.userErrors)}
      onDone={onDone}
    />
  );
}

const wholeNumber = (text: string, message: string): { value: number } | { error: string } => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) ? { value: n } : { error: message };
};

/** A stock change: a number (checked here first) and the reason every stock change is audited with. */
function StockForm<V extends number | null>({
  title,
  field,
  label,
  parse,
  state,
  send,
  onDone,
}: {
  title: string;
  field: string;
  label: string;
  parse: (text: string) => { value: V } | { error: string };
  state: { fetching: boolean; error?: CombinedError };
  send: (value: V, reason: string) => Promise<UserError[]>;
  onDone: () => void;
}) {
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parse(text);
    if ('error' in parsed) return setErrors([{ code: 'VALIDATION', message: parsed.error, field }]);
    const errs = await send(parsed.value, reason);
    setErrors(errs);
    if (!errs.length) {
      setText('');
      setReason('');
      onDone();
    }
  };
  return (
    <section className="card">
      <h2>{title}</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={[field, 'reason']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label={title}>
        <label>
          {label}
          <input inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} {...fieldProps(errors, field)} />
          <FieldError errors={errors} field={field} />
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} {...fieldProps(errors, 'reason')} />
          <FieldError errors={errors} field="reason" />
        </label>
        <button type="submit" disabled={state.fetching}>
          {title}
        </button>
      </form>
    </section>
  );
}
