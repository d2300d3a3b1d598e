import type { EntityManager } from '@mikro-orm/postgresql';
import { ContentItem, Site } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { inSite } from '../../tx';
import { LIMITS, Validator } from '../../validation';
import type { ContentItemView } from '../queries';
import { bodyOf, slugOf } from '../validation';
import { appendVersion } from '../versions';

/** A new content item with its version 1 (MANUAL). */
export function createContentItem(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; slug: string; title: string; body: string },
): Promise<Result<ContentItemView>> {
  const { siteId } = input;
  const v = new Validator();
  const slug = slugOf(v, ['input', 'slug'], input.slug);
  const title = v.text(['input', 'title'], input.title, LIMITS.name) ?? '';
  const body = bodyOf(v, ['input', 'body'], input.body);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return inSite(em, siteId, async (tx) => {
    if (!(await tx.count(Site, { id: siteId }))) return notFound('Site', ['siteId']);
    if (await tx.count(ContentItem, { slug }))
      return refuse(ErrorCode.CONFLICT, `A content item with slug ${slug} exists`, ['input', 'slug']);
    const now = deps.clock.now();
    const item = new ContentItem(siteId, slug, title, now);
    tx.persist(item);
    const version = appendVersion(tx, item, actor, now, { body, source: 'MANUAL' });
    audit(tx, actor, now, {
      siteId,
      action: 'content.create',
      entity: 'ContentItem',
      entityId: item.id,
      detail: { slug, version: version.number },
    });
    return ok({ item, versions: [version] });
  });
}
