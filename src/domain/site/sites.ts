import type { EntityManager } from '@mikro-orm/postgresql';
import { Role, Site } from '../../entities';
import type { Actor, AdminActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { notFound, ok, type Result } from '../errors';
import { afterCursor, decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { inSite, isUuid, readOnPlatform } from '../tx';
import { LIMITS, Validator } from '../validation';

export interface SiteView {
  id: string;
  name: string;
  currency: string;
  aiEnabled: boolean;
  createdAt: Date;
}

const view = (s: Site): SiteView => ({ id: s.id, name: s.name, currency: s.currency, aiEnabled: s.aiEnabled, createdAt: s.createdAt });

export function createSite(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { name: string; currency: string },
): Promise<Result<SiteView>> {
  const v = new Validator();
  const name = v.text(['input', 'name'], input.name, LIMITS.name) ?? '';
  const currency = v.currency(['input', 'currency'], input.currency);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  const now = deps.clock.now();
  const site = new Site(name, currency, now);
  // Bound to the new site, so the site's own audit log starts with its creation.
  return inSite(em, site.id, async (tx) => {
    tx.persist(site);
    audit(tx, actor, now, { siteId: site.id, action: 'site.create', entity: 'Site', entityId: site.id, detail: { name, currency } });
    return ok(view(site));
  });
}

export async function setAiEnabled(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; enabled: boolean },
): Promise<Result<SiteView>> {
  const { siteId, enabled } = input;
  const result = await inSite(em, siteId, async (tx) => {
    const site = await tx.findOne(Site, { id: siteId });
    if (!site) return notFound('Site', ['siteId']);
    site.aiEnabled = enabled;
    audit(tx, actor, deps.clock.now(), { siteId, action: enabled ? 'site.enableAi' : 'site.disableAi', entity: 'Site', entityId: siteId });
    return ok(view(site));
  });
  // Committed: this process forgets at once; the others when the commit's announcement reaches them.
  if (result.ok) deps.aiSwitch.forget(siteId);
  return result;
}

export async function getSite(em: EntityManager, siteId: string): Promise<SiteView | null> {
  if (!isUuid(siteId)) return null;
  const site = await em.findOne(Site, { id: siteId });
  return site ? view(site) : null;
}

/**
 * The sites an admin may open, oldest first: every site for a super admin, the granted ones for a site admin (the
 * admin console's site switcher). Keyset-paged on (createdAt, id).
 */
export async function listSites(
  em: EntityManager,
  actor: AdminActor,
  args: { first?: number | null; after?: string | null },
): Promise<Page<SiteView> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = pageSize(args.first);
  const granted = actor.role === Role.SUPER_ADMIN ? {} : { id: { $in: actor.siteIds } };
  const rows = await readOnPlatform(em, (tx) =>
    tx.find(Site, { ...granted, ...afterCursor(cursor) }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 }),
  );
  return { items: rows.slice(0, limit).map(view), hasNextPage: rows.length > limit, cursorOf: (s) => encodeCursor(s.createdAt, s.id) };
}
