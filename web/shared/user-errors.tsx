// Errors as data: every payload's userErrors are shown next to the field they name, the rest above the form.
import type { ReactNode } from 'react';

export interface UserError {
  code: string;
  message: string;
  field?: string | null;
}

/** The error of one field, shown under its input and tied to it by `aria-describedby={errorId(field)}`. */
export function FieldError({ errors, field }: { errors: readonly UserError[] | undefined; field: string }) {
  const mine = (errors ?? []).filter((e) => e.field === field || e.field?.endsWith(`.${field}`));
  if (!mine.length) return null;
  return (
    <p className="field-error" id={errorId(field)} role="alert" data-code={mine[0].code}>
      {mine.map((e) => e.message).join(' ')}
    </p>
  );
}

export const errorId = (field: string) => `error-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** The errors that name no field shown by the form (`fields`), or that name none at all. */
export function FormErrors({ errors, fields = [] }: { errors: readonly UserError[] | undefined; fields?: readonly string[] }) {
  const rest = (errors ?? []).filter((e) => !e.field || !fields.some((f) => e.field === f || e.field!.endsWith(`.${f}`)));
  if (!rest.length) return null;
  return (
    <div className="form-errors" role="alert">
      {rest.map((e, i) => (
        <p key={i} data-code={e.code}>
          {e.message}
        </p>
      ))}
    </div>
  );
}

/** A request that failed as a whole (network, HTTP 4xx/5xx, a GraphQL error), in words. */
export function RequestError({ error }: { error: { message: string } | undefined | null }): ReactNode {
  if (!error) return null;
  return (
    <div className="form-errors" role="alert">
      <p>{error.message.replace(/^\[(GraphQL|Network)\] /, '')}</p>
    </div>
  );
}
