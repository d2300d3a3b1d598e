import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, type Suggestion } from '../../../entities';
import { actorName, type Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { inSite, isUuid } from '../../tx';
import { appendVersion } from '../versions';
import { pendingSuggestion } from '../pending-suggestion';

/**
 * An admin turns a suggestion into the item's next version (AI_SUGGESTION). If the item moved past the version
 * the suggestion was made from, it answers STALE_SUGGESTION and changes nothing.
 */
export function approveSuggestion(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  siteId: string,
  suggestionId: string,
): Promise<Result<Suggestion>> {
  if (!isUuid(suggestionId)) return Promise.resolve(notFound('Suggestion', ['suggestionId']));
  return inSite(em, siteId, async (tx) => {
    const pending = await pendingSuggestion(tx, suggestionId);
    if (!pending.ok) return pending;
    const suggestion = pending.value;
    // The item's lock serialises every writer of its versions (always taken after the suggestion's: no deadlock).
    const item = await tx.findOneOrFail(ContentItem, { id: suggestion.contentItemId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (item.currentVersion !== suggestion.baseVersion) {
      return refuse(
        ErrorCode.STALE_SUGGESTION,
        `The suggestion was made from version ${suggestion.baseVersion}; the content is now at version ${item.currentVersion}`,
        ['suggestionId'],
      );
    }
    const now = deps.clock.now();
    const version = appendVersion(tx, item, actor, now, { body: suggestion.body, source: 'AI_SUGGESTION', suggestionId: suggestion.id });
    suggestion.status = 'APPROVED';
    suggestion.decidedAt = now;
    suggestion.decidedBy = actorName(actor);
    suggestion.createdVersion = version.number;
    audit(tx, actor, now, {
      siteId,
      action: 'suggestion.approve',
      entity: 'Suggestion',
      entityId: suggestion.id,
      detail: { contentItemId: item.id, createdVersion: version.number },
    });
    return ok(suggestion);
  });
}
