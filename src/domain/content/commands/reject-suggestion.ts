import type { EntityManager } from '@mikro-orm/postgresql';
import type { Suggestion } from '../../../entities';
import { actorName, type Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { inSite, isUuid } from '../../tx';
import { Validator } from '../../validation';
import { CONTENT_LIMITS } from '../validation';
import { lockedSuggestion } from '../locked-suggestion';
import { moveSuggestion } from '../suggestion-runner';

/** An admin declines a suggestion; the reason is kept on it (once) and in the audit log. Content is untouched. */
export function rejectSuggestion(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; suggestionId: string; reason: string },
): Promise<Result<Suggestion>> {
  const { siteId, suggestionId, reason: rawReason } = input;
  const v = new Validator();
  const reason = v.text(['reason'], rawReason, CONTENT_LIMITS.reason) ?? '';
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  if (!isUuid(suggestionId)) return Promise.resolve(notFound('Suggestion', ['suggestionId']));
  return inSite(em, siteId, async (tx) => {
    const locked = await lockedSuggestion(tx, suggestionId);
    if (!locked.ok) return locked;
    const suggestion = locked.value;
    const moved = moveSuggestion(suggestion, 'reject', { reason }, actor);
    if (!moved.ok) return moved;
    const now = deps.clock.now();
    suggestion.decidedAt = now;
    suggestion.decidedBy = actorName(actor);
    suggestion.rejectionReason = reason;
    audit(tx, actor, now, {
      siteId,
      action: 'suggestion.reject',
      entity: 'Suggestion',
      entityId: suggestion.id,
      reason,
      detail: { contentItemId: suggestion.contentItemId },
    });
    return ok(suggestion);
  });
}
