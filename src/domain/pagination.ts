import { isUuid } from './tx';
import { LIMITS } from './validation';

/** Keyset cursors over (createdAt, id): stable under inserts, opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

export const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

export function decodeCursor(cursor: string | null | undefined): Cursor | null | 'invalid' {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const at = new Date(iso);
  return id && isUuid(id) && !Number.isNaN(at.getTime()) ? { at, id } : 'invalid';
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
