import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, ContentVersion, Suggestion, type SuggestionStatus } from '../../entities';
import { afterCursor } from '../pagination';
import { selectEntities } from '../sql';
import { isUuid, readInSite } from '../tx';
import { LIMITS } from '../validation';

/**
 * Page sizes of contentItems, suggestions and an item's versions: smaller by default than other lists, since each
 * entry carries a body of up to 100,000 characters. Larger `first` is clamped (the query cost knows both numbers).
 */
export const CONTENT_PAGE = { default: 20, max: LIMITS.pageSize } as const;

const contentPageSize = (first: number | null | undefined): number =>
  Math.max(1, Math.min(first ?? CONTENT_PAGE.default, CONTENT_PAGE.max));

/** `after`: the id of the previous page's last entry; a malformed or unknown one gives an empty page. */
export interface ContentPage {
  first?: number | null;
  after?: string | null;
}

/** A content item with the versions read with it: at least its current one. The full list is paged by listVersions. */
export interface ContentItemView {
  item: ContentItem;
  versions: ContentVersion[];
}

/** The items with their current versions, in one read inside the caller's site-bound transaction. */
export async function withVersions(tx: EntityManager, items: ContentItem[]): Promise<ContentItemView[]> {
  if (!items.length) return [];
  const current = await tx.find(ContentVersion, { $or: items.map((i) => ({ contentItemId: i.id, number: i.currentVersion })) });
  return items.map((item) => ({ item, versions: current.filter((v) => v.contentItemId === item.id) }));
}

export async function getContentItem(em: EntityManager, siteId: string, id: string): Promise<ContentItemView | null> {
  if (!isUuid(id)) return null;
  return readInSite(em, siteId, async (tx) => {
    const item = await tx.findOne(ContentItem, { id });
    return item ? (await withVersions(tx, [item]))[0] : null;
  });
}

/** Keyset "after this entry" on (createdAt, id); undefined when the entry is not there (an empty page). */
const afterEntry = (entry: { createdAt: Date; id: string } | null) =>
  entry ? afterCursor({ at: entry.createdAt, id: entry.id }) : undefined;

export async function listContentItems(em: EntityManager, siteId: string, page: ContentPage = {}): Promise<ContentItemView[]> {
  if (page.after && !isUuid(page.after)) return [];
  const views = await readInSite(em, siteId, async (tx) => {
    const after = page.after ? afterEntry(await tx.findOne(ContentItem, { id: page.after })) : {};
    if (!after) return [];
    const items = await tx.find(ContentItem, after, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: contentPageSize(page.first) });
    return withVersions(tx, items);
  });
  return views ?? [];
}

/** Each item's versions after number `after` (0: from the first), oldest first, at most contentPageSize(first) per item: one read. */
export async function listVersions(
  em: EntityManager,
  siteId: string,
  itemIds: readonly string[],
  page: { first?: number | null; after?: number | null },
): Promise<Map<string, ContentVersion[]>> {
  const byItem = new Map<string, ContentVersion[]>(itemIds.map((id) => [id, []]));
  const ids = itemIds.filter(isUuid);
  if (!ids.length) return byItem;
  const versions = await readInSite(em, siteId, (tx) =>
    selectEntities(
      tx,
      ContentVersion,
      `select v.* from unnest(array[?]::uuid[]) as i(id)
         cross join lateral (select * from content_versions where content_item_id = i.id and site_id = ? and number > ? order by number limit ?) v
        order by v.content_item_id, v.number`,
      [ids, siteId, Math.max(0, page.after ?? 0), contentPageSize(page.first)],
    ),
  );
  for (const v of versions ?? []) byItem.get(v.contentItemId)!.push(v);
  return byItem;
}

export async function listSuggestions(
  em: EntityManager,
  siteId: string,
  filter: { contentItemId?: string | null; status?: SuggestionStatus | null },
  page: ContentPage = {},
): Promise<Suggestion[]> {
  if ((filter.contentItemId && !isUuid(filter.contentItemId)) || (page.after && !isUuid(page.after))) return [];
  const rows = await readInSite(em, siteId, async (tx) => {
    const after = page.after ? afterEntry(await tx.findOne(Suggestion, { id: page.after })) : {};
    if (!after) return [];
    return tx.find(
      Suggestion,
      { ...(filter.contentItemId && { contentItemId: filter.contentItemId }), ...(filter.status && { status: filter.status }), ...after },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: contentPageSize(page.first) },
    );
  });
  return rows ?? [];
}
