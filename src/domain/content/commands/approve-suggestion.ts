import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, type Suggestion } from '../../../entities';
import { actorName, type Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { inSite, isUuid } from '../../tx';
import { appendVersion } from '../versions';
import { lockedSuggestion } from '../locked-suggestion';
import { moveSuggestion } from '../suggestion-runner';

/**
 * An admin turns a suggestion into the item's next version (AI_SUGGESTION). If the item moved past the version
 * the suggestion was made from, it answers STALE_SUGGESTION and changes nothing.
 */
export function approveSuggestion(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; suggestionId: string },
): Promise<Result<Suggestion>> {
  const { siteId, suggestionId } = input;
  if (!isUuid(suggestionId)) return Promise.resolve(notFound('Suggestion', ['suggestionId']));
  return inSite(em, siteId, async (tx) => {
    const locked = await lockedSuggestion(tx, suggestionId);
    if (!locked.ok) return locked;
    const suggestion = locked.value;
    // The item's lock serialises every writer of its versions (always taken after the suggestion's: no deadlock).
    const item = await tx.findOneOrFail(ContentItem, { id: suggestion.contentItemId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const moved = moveSuggestion(
      suggestion,
      'approve',
      { baseVersion: suggestion.baseVersion, currentVersion: item.currentVersion },
      actor,
    );
    if (!moved.ok) return moved;
    const now = deps.clock.now();
    const version = appendVersion(tx, item, actor, now, { body: suggestion.body, source: 'AI_SUGGESTION', suggestionId: suggestion.id });
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
