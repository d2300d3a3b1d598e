// updateProduct: the name and the price (in minor units); only what changed is sent.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { UpdateProductDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { asUserErrors, fieldProps } from '../errors';

interface Props {
  siteId: string;
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  onSaved: () => void;
}

export function ProductEdit({ siteId, productId, name, priceMinor, currency, onSaved }: Props) {
  const [newName, setName] = useState(name);
  const [price, setPrice] = useState(String(priceMinor));
  const [errors, setErrors] = useState<UserError[]>([]);
  const [saved, setSaved] = useState(false);
  const [state, update] = useMutation(UpdateProductDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const n = Number(price);
    if (price.trim() === '' || !Number.isInteger(n)) {
      return setErrors([
        { code: 'VALIDATION', message: 'The price is a whole number of minor units (1999 is 19.99).', field: 'priceMinor' },
      ]);
    }
    const input = { ...(newName !== name && { name: newName }), ...(n !== priceMinor && { priceMinor: n }) };
    const r = await update({ siteId, productId, input });
    const errs = asUserErrors(r.data?.updateProduct.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.updateProduct.product) {
      setSaved(true);
      onSaved();
    }
  };
  return (
    <section className="card">
      <h2>Edit</h2>
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['name', 'priceMinor']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Edit the product">
        <label>
          Name
          <input value={newName} onChange={(e) => setName(e.target.value)} {...fieldProps(errors, 'name')} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Price in minor units ({currency}){Number.isInteger(Number(price)) && price ? `: ${money(Number(price), currency)}` : ''}
          <input inputMode="numeric" value={price} onChange={(e) => setPrice(e.target.value)} {...fieldProps(errors, 'priceMinor')} />
          <FieldError errors={errors} field="priceMinor" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Save
        </button>
      </form>
    </section>
  );
}
