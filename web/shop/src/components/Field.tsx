import type { InputHTMLAttributes } from 'react';
import { FieldError, type UserError } from '../../../shared/user-errors';
import { invalidProps } from '../errors';

type Props = { label: string; field: string; errors: readonly UserError[]; hint?: string } & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with the userErrors that name its field under it. */
export function Field({ label, field, errors, hint, ...input }: Props) {
  const id = `input-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return (
    <label htmlFor={id}>
      {label}
      <input id={id} name={field} {...input} {...invalidProps(errors, field)} />
      {hint && <span className="hint">{hint}</span>}
      <FieldError errors={errors} field={field} />
    </label>
  );
}
