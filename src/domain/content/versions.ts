import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentVersion, type ContentItem, type ContentSourceName } from '../../entities';
import { actorName, type Actor } from '../actor';

/**
 * The only place a content item's current version moves: appends the next version and points the item at it.
 * The caller holds the item's row lock (or just created it); the unique (item, number) key stops any racer.
 */
export function appendVersion(
  tx: EntityManager,
  item: ContentItem,
  actor: Actor,
  now: Date,
  fields: { body: string; source: ContentSourceName; suggestionId?: string },
): ContentVersion {
  const number = item.currentVersion + 1;
  const version = new ContentVersion({
    siteId: item.siteId,
    contentItemId: item.id,
    number,
    createdBy: actorName(actor),
    createdAt: now,
    ...fields,
  });
  item.currentVersion = number;
  tx.persist(version);
  return version;
}
