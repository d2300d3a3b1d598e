import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../entities';
import { afterCursor, decodeCursor, encodeCursor, pageSize, type Page } from './pagination';
import { readInSite } from './tx';

/** The site's audit log, oldest first. */
export async function listAuditLog(
  em: EntityManager,
  siteId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<AuditEntry> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = pageSize(args.first);
  const rows = await readInSite(em, siteId, (tx) =>
    tx.find(AuditEntry, { siteId, ...afterCursor(cursor, 'at') }, { orderBy: { at: 'asc', id: 'asc' }, limit: limit + 1 }),
  );
  if (!rows) return null;
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf: (e) => encodeCursor(e.at, e.id) };
}
