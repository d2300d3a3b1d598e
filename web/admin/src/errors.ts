// The API names a field as a path (`["input", "priceMinor"]`); the shared error components match a dotted name.
import type { CombinedError } from 'urql';
import { errorId, type UserError } from '../../shared/user-errors';

interface ApiUserError {
  code: string;
  message: string;
  field?: readonly string[] | null;
}

export function asUserErrors(errors: readonly ApiUserError[] | null | undefined): UserError[] {
  return (errors ?? []).map((e) => ({ code: e.code, message: e.message, field: e.field?.length ? e.field.join('.') : null }));
}

/** aria-invalid and aria-describedby of an input, tied to the FieldError of the same field. */
export function fieldProps(errors: readonly UserError[] | undefined, field: string) {
  const has = (errors ?? []).some((e) => e.field === field || e.field?.endsWith(`.${field}`));
  return has ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};
}

/** The API answers another site's records with FORBIDDEN (or null): the page then shows no data at all. */
export function isForbidden(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN');
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}
