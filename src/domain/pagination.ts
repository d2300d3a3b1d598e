import { isUuid } from './tx';
import { LIMITS } from './validation';

/** Keyset cursors over (createdAt, id): stable under inserts, opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

export const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

/**
 * What encodeCursor writes for a row: a canonical ISO instant of the years 0001..9999. The query sends it as that
 * text, and PostgreSQL refuses others (no year 0000, no six-digit years) although JS dates reach them. Anything
 * else is 'invalid': an empty page.
 */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string | null | undefined): Cursor | null | 'invalid' {
  if (!cursor) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  if (parts.length !== 2) return 'invalid';
  const [iso, id] = parts;
  const at = new Date(iso);
  return ISO_INSTANT.test(iso) && !Number.isNaN(at.getTime()) && at.toISOString() === iso && isUuid(id) ? { at, id } : 'invalid';
}

export const pageSize = (first: number | null | undefined): number => Math.max(1, Math.min(first ?? 50, LIMITS.pageSize));

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  cursorOf: (item: T) => string;
}

/** Keyset filter "after the cursor" on (createdAt, id) for MikroORM. */
export function afterCursor(cursor: Cursor | null, atField = 'createdAt') {
  if (!cursor) return {};
  return { $or: [{ [atField]: { $gt: cursor.at } }, { [atField]: cursor.at, id: { $gt: cursor.id } }] };
}
