import type { EntityManager } from '@mikro-orm/postgresql';
import { Site } from '../../entities';
import type { Actor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { notFound, ok, type Result } from '../errors';
import { inSite, isUuid } from '../tx';
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

export function setAiEnabled(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; enabled: boolean },
): Promise<Result<SiteView>> {
  const { siteId, enabled } = input;
  return inSite(em, siteId, async (tx) => {
    const site = await tx.findOne(Site, { id: siteId });
    if (!site) return notFound('Site', ['siteId']);
    site.aiEnabled = enabled;
    audit(tx, actor, deps.clock.now(), { siteId, action: enabled ? 'site.enableAi' : 'site.disableAi', entity: 'Site', entityId: siteId });
    return ok(view(site));
  });
}

export async function getSite(em: EntityManager, siteId: string): Promise<SiteView | null> {
  if (!isUuid(siteId)) return null;
  const site = await em.findOne(Site, { id: siteId });
  return site ? view(site) : null;
}
