import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { inSite, isUuid } from '../../tx';
import { Validator } from '../../validation';
import { withVersions, type ContentItemView } from '../queries';
import { bodyOf } from '../validation';
import { appendVersion } from '../versions';

/** An admin's edit: the next version (MANUAL); earlier versions stay as they were. */
export function reviseContent(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; contentItemId: string; body: string },
): Promise<Result<ContentItemView>> {
  const { siteId, contentItemId, body: rawBody } = input;
  const v = new Validator();
  const body = bodyOf(v, ['body'], rawBody);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  if (!isUuid(contentItemId)) return Promise.resolve(notFound('Content item', ['contentItemId']));
  return inSite(em, siteId, async (tx) => {
    const item = await tx.findOne(ContentItem, { id: contentItemId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!item) return notFound('Content item', ['contentItemId']);
    const now = deps.clock.now();
    const version = appendVersion(tx, item, actor, now, { body, source: 'MANUAL' });
    audit(tx, actor, now, {
      siteId,
      action: 'content.revise',
      entity: 'ContentItem',
      entityId: item.id,
      detail: { version: version.number },
    });
    await tx.flush();
    return ok((await withVersions(tx, [item]))[0]);
  });
}
