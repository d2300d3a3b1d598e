import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, ContentVersion, Suggestion, type SuggestionStatusName } from '../../entities';
import { isUuid, readInSite } from '../tx';

/** A content item with its versions, oldest first; the current one is among them. */
export interface ContentItemView {
  item: ContentItem;
  versions: ContentVersion[];
}

/** The items' versions in one read, inside the caller's site-bound transaction. */
export async function withVersions(tx: EntityManager, items: ContentItem[]): Promise<ContentItemView[]> {
  if (!items.length) return [];
  const versions = await tx.find(ContentVersion, { contentItemId: { $in: items.map((i) => i.id) } }, { orderBy: { contentItemId: 'asc', number: 'asc' } });
  return items.map((item) => ({ item, versions: versions.filter((v) => v.contentItemId === item.id) }));
}

export async function getContentItem(em: EntityManager, siteId: string, id: string): Promise<ContentItemView | null> {
  if (!isUuid(id)) return null;
  return readInSite(em, siteId, async (tx) => {
    const item = await tx.findOne(ContentItem, { id });
    return item ? (await withVersions(tx, [item]))[0] : null;
  });
}

export async function listContentItems(em: EntityManager, siteId: string): Promise<ContentItemView[]> {
  const views = await readInSite(em, siteId, async (tx) => withVersions(tx, await tx.find(ContentItem, {}, { orderBy: { createdAt: 'asc', id: 'asc' } })));
  return views ?? [];
}

export async function listSuggestions(
  em: EntityManager,
  siteId: string,
  filter: { contentItemId?: string | null; status?: SuggestionStatusName | null },
): Promise<Suggestion[]> {
  if (filter.contentItemId && !isUuid(filter.contentItemId)) return [];
  const rows = await readInSite(em, siteId, (tx) =>
    tx.find(
      Suggestion,
      { ...(filter.contentItemId && { contentItemId: filter.contentItemId }), ...(filter.status && { status: filter.status }) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    ),
  );
  return rows ?? [];
}
