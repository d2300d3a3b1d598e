import type { AddressInput } from '../../../../clients/generated/graphql';
import type { UserError } from '../../../shared/user-errors';
import { Field } from './Field';

export const EMPTY_ADDRESS: AddressInput = { name: '', line1: '', line2: '', city: '', postalCode: '', country: '' };

/** The fields of an AddressInput; `prefix` is the input's path as the API names it (input.shippingAddress). */
export function AddressFields({
  prefix,
  value,
  onChange,
  errors,
}: {
  prefix: string;
  value: AddressInput;
  onChange(next: AddressInput): void;
  errors: readonly UserError[];
}) {
  const field = (name: keyof AddressInput, label: string, extra: { hint?: string; autoComplete?: string } = {}) => (
    <Field
      label={label}
      field={`${prefix}.${name}`}
      errors={errors}
      value={value[name] ?? ''}
      onChange={(e) => onChange({ ...value, [name]: e.target.value })}
      {...extra}
    />
  );
  return (
    <>
      {field('name', 'Full name', { autoComplete: 'name' })}
      {field('line1', 'Address', { autoComplete: 'address-line1' })}
      {field('line2', 'Address line 2 (optional)', { autoComplete: 'address-line2' })}
      <div className="grid-2">
        {field('city', 'City', { autoComplete: 'address-level2' })}
        {field('postalCode', 'Postal code', { autoComplete: 'postal-code' })}
      </div>
      {field('country', 'Country', { autoComplete: 'country', hint: 'Two-letter code, e.g. GB, FR, US' })}
    </>
  );
}

/** What the API takes: an empty optional line is no line. */
export const addressInput = (a: AddressInput): AddressInput => ({ ...a, line2: a.line2?.trim() ? a.line2 : null });

/** An address the API answered, as an input: only its fields (urql adds __typename, which no input takes). */
export const fromAddress = (a: AddressInput): AddressInput => ({
  name: a.name,
  line1: a.line1,
  line2: a.line2 ?? '',
  city: a.city,
  postalCode: a.postalCode,
  country: a.country,
});
