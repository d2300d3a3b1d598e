// The API names a field as a path (["input", "shippingAddress", "line1"]); the shared error components match a
// dotted name ("input.shippingAddress.line1", or its tail): one conversion here, at the edge of every payload.
import { errorId, type UserError } from '../../shared/user-errors';

export interface ApiUserError {
  code: string;
  message: string;
  field?: readonly string[] | null;
}

export const userErrors = (errors: readonly ApiUserError[] | null | undefined): UserError[] =>
  (errors ?? []).map((e) => ({ code: e.code, message: e.message, field: e.field?.length ? e.field.join('.') : null }));

/** `aria-invalid` and `aria-describedby` of an input whose errors FieldError shows under it (matched as FieldError does). */
export function invalidProps(errors: readonly UserError[], field: string) {
  const bad = errors.some((e) => e.field === field || e.field?.endsWith(`.${field}`));
  return bad ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};
}
