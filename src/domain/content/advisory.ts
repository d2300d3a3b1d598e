import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, Suggestion } from '../../entities';
import { AdvisorError, type Advice } from '../../integrations/ai/advisor';
import { actorName, type Actor } from '../actor';
import { aiEnabledOf } from '../site/ai-switch';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { inSite, readInSite } from '../tx';
import { Validator } from '../validation';
import { moveSuggestion } from './suggestion-runner';
import { bodyOf } from './validation';

export const AI_DISABLED_MESSAGE = 'Advisory disabled for this site';

/** The graceful refusal of a disabled site; nothing is written, the log says it happened. */
export function advisoryDisabled(deps: DomainDeps, siteId: string, contentItemId: string) {
  deps.log.info({ siteId, contentItemId }, 'advisory refused: AI is disabled for the site');
  return refuse(ErrorCode.AI_DISABLED, AI_DISABLED_MESSAGE);
}

/** Printable ASCII, as model names are; anything else is not a name to store and show. */
const MODEL_NAME = /^[\x20-\x7E]{1,200}$/;

/**
 * The provider's answer is checked as a manual body is (it becomes content on approval) and its model name as
 * printable ASCII up to 200: an answer that fails is a provider failure, and nothing of it is stored or logged.
 */
function usable(advice: Advice): Advice {
  const v = new Validator();
  const body = bodyOf(v, ['body'], advice.body);
  if (!v.ok) throw new AdvisorError(`The AI provider answered an unusable body: ${v.errors[0].message}`, 'UNUSABLE_ANSWER');
  if (!MODEL_NAME.test(advice.model))
    throw new AdvisorError('The AI provider answered a model name that is not 1 to 200 printable ASCII characters', 'UNUSABLE_ANSWER');
  return { body, model: advice.model };
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
    advice = usable(await deps.advisor.suggest({ title: target.title, body: target.body, instruction: target.instruction }));
  } catch (err) {
    if (!(err instanceof AdvisorError)) throw err;
    const fields = { siteId, contentItemId, code: err.code, reason: err.message };
    deps.log.error(fields, 'AI provider call failed');
    deps.alerts.raise({ kind: 'ai_unavailable', message: 'The AI model provider failed or timed out', fields });
    return refuse(ErrorCode.AI_UNAVAILABLE, 'The advisory service is unavailable; try again later');
  }

  return inSite(em, siteId, async (tx) => {
    // The provider call took time: the flag may have been turned off, and then nothing is stored.
    if (!(await aiEnabledOf(tx, siteId))) return advisoryDisabled(deps, siteId, contentItemId);
    if (!(await tx.count(ContentItem, { id: contentItemId }))) return notFound('Content item', ['contentItemId']);
    const now = deps.clock.now();
    const suggestion = new Suggestion({
      siteId,
      contentItemId,
      instruction: target.instruction,
      body: advice.body,
      baseVersion: target.baseVersion,
      model: advice.model,
      createdAt: now,
    });
    const moved = moveSuggestion(suggestion, 'request', {}, requestedBy);
    if (!moved.ok) return moved;
    tx.persist(suggestion);
    audit(tx, { kind: 'ai' }, now, {
      siteId,
      action: 'suggestion.create',
      entity: 'Suggestion',
      entityId: suggestion.id,
      detail: { contentItemId, baseVersion: target.baseVersion, model: advice.model, requestedBy: actorName(requestedBy) },
    });
    return ok(suggestion);
  });
}
