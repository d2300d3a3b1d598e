import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, ContentVersion, type Suggestion } from '../../../entities';
import type { Actor } from '../../actor';
import type { DomainDeps } from '../../deps';
import { notFound, type Result } from '../../errors';
import { isUuid, readInSite } from '../../tx';
import { Validator } from '../../validation';
import { adviseOn, advisoryDisabled } from '../advisory';
import { CONTENT_LIMITS } from '../validation';

/**
 * The API gate of the advisory flow: a disabled site is refused here, before the AI Advisory Service is touched
 * and without writing anything. Otherwise the service is handed the item's current version.
 */
export async function requestSuggestion(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; contentItemId: string; instruction: string },
): Promise<Result<Suggestion>> {
  const { siteId, contentItemId, instruction: rawInstruction } = input;
  // The kill switch first, from memory while the change feed is live: a disabled site costs no round trip.
  const switchedOn = await deps.aiSwitch.enabledOf(em, siteId);
  if (switchedOn === null) return notFound('Site', ['siteId']);
  if (!switchedOn) return advisoryDisabled(deps, siteId, contentItemId);
  // Enabled is never taken from memory alone: adviseOn reads the flag from the database before it asks the
  // provider, and again before it stores anything.
  const gate = await readInSite(em, siteId, async (tx) => {
    if (!isUuid(contentItemId)) return { item: null, current: null };
    const item = await tx.findOne(ContentItem, { id: contentItemId });
    const current = item && (await tx.findOneOrFail(ContentVersion, { contentItemId, number: item.currentVersion }));
    return { item, current };
  });

  const v = new Validator();
  const instruction = v.text(['instruction'], rawInstruction, CONTENT_LIMITS.instruction) ?? '';
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!gate?.item || !gate.current) return notFound('Content item', ['contentItemId']);

  return adviseOn(em, deps, actor, {
    siteId,
    contentItemId,
    title: gate.item.title,
    body: gate.current.body,
    baseVersion: gate.current.number,
    instruction,
  });
}
