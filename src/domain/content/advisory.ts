import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, Site, Suggestion } from '../../entities';
import { AdvisorError, type Advice } from '../../integrations/ai/advisor';
import { actorName, type Actor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { inSite, readInSite } from '../tx';
import { LIMITS } from '../validation';

export const AI_DISABLED_MESSAGE = 'Advisory disabled for this site';

/** The site's flag, read from the database every time (never the identity map): a toggle in any process holds at once. */
export async function aiEnabledOf(tx: EntityManager, siteId: string): Promise<boolean | null> {
  const site = await tx.findOne(Site, { id: siteId }, { refresh: true });
  return site ? site.aiEnabled : null;
}

/** The graceful refusal of a disabled site; nothing is written, the log says it happened. */
export function advisoryDisabled(deps: DomainDeps, siteId: string, contentItemId: string) {
  deps.log.info({ siteId, contentItemId }, 'advisory refused: AI is disabled for the site');
  return refuse(ErrorCode.AI_DISABLED, AI_DISABLED_MESSAGE);
}

export interface AdviceTarget {
  siteId: string;
  contentItemId: string;
  title: string;
  body: string;
  baseVersion: number;
  instruction: string;
}

/**
 * The AI Advisory Service: checks the flag itself, asks the provider outside any transaction, then stores the
 * suggestion in its own table in a short transaction that checks the flag and the item again. It writes the
 * suggestion and its audit entry, and nothing else: content changes only through an admin's approval.
 */
export async function adviseOn(em: EntityManager, deps: DomainDeps, requestedBy: Actor, target: AdviceTarget): Promise<Result<Suggestion>> {
  const { siteId, contentItemId } = target;
  if (!(await readInSite(em, siteId, (tx) => aiEnabledOf(tx, siteId)))) return advisoryDisabled(deps, siteId, contentItemId);

  let advice: Advice;
  try {
    advice = await deps.advisor.suggest({ title: target.title, body: target.body, instruction: target.instruction });
  } catch (err) {
    if (!(err instanceof AdvisorError)) throw err;
    const fields = { siteId, contentItemId, code: err.code, reason: err.message };
    deps.log.error(fields, 'AI provider call failed');
    deps.alerts.raise({ kind: 'ai_unavailable', message: 'The AI model provider failed or timed out', fields });
    return refuse(ErrorCode.AI_UNAVAILABLE, 'The advisory service is unavailable; try again later');
  }
  if (advice.body.length > LIMITS.body) {
    deps.log.error({ siteId, contentItemId, length: advice.body.length }, 'AI provider answered a body over the content bound');
    return refuse(ErrorCode.AI_UNAVAILABLE, 'The advisory service gave no usable suggestion; try again');
  }

  return inSite(em, siteId, async (tx) => {
    // The provider call took time: the flag may have been turned off, and then nothing is stored.
    if (!(await aiEnabledOf(tx, siteId))) return advisoryDisabled(deps, siteId, contentItemId);
    if (!(await tx.count(ContentItem, { id: contentItemId }))) return notFound('Content item', ['contentItemId']);
    const now = deps.clock.now();
    const suggestion = new Suggestion({
      siteId, contentItemId, instruction: target.instruction, body: advice.body, baseVersion: target.baseVersion, model: advice.model, createdAt: now,
    });
    tx.persist(suggestion);
    audit(tx, { kind: 'ai' }, now, {
      siteId, action: 'suggestion.create', entity: 'Suggestion', entityId: suggestion.id,
      detail: { contentItemId, baseVersion: target.baseVersion, model: advice.model, requestedBy: actorName(requestedBy) },
    });
    return ok(suggestion);
  });
}
