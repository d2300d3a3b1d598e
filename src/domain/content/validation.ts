import { ErrorCode } from '../errors';
import { LIMITS, type Validator } from '../validation';

/** Bounds of the content inputs that CONTRACT's general bounds (names 200, body 100,000) do not name. */
export const CONTENT_LIMITS = { slug: 200, instruction: 2_000, reason: 2_000 } as const;

/** A slug: lowercase letters, digits and hyphens, 1..200 characters. */
export function slugOf(v: Validator, field: string[], value: string): string {
  const slug = v.text(field, value, CONTENT_LIMITS.slug) ?? '';
  if (slug && !/^[a-z0-9-]+$/.test(slug)) {
    v.errors.push({ code: ErrorCode.VALIDATION, message: `${field.join('.')} may hold only lowercase letters, digits and hyphens`, field });
  }
  return slug;
}

export const bodyOf = (v: Validator, field: string[], value: string): string => v.text(field, value, LIMITS.body) ?? '';
