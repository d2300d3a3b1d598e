import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../ids';

/**
 * Sites are never deleted and their currency never changes (createSite sets it; nothing updates it): once read,
 * a site's currency is known for the life of the process, and the hot paths that only need to know the site
 * exists, or its currency (a new cart, a payment event), skip a round trip. An unknown id is asked again every time.
 */
const currencies = new Map<string, string>();

/** The site's currency, or null when there is no such site. */
export async function currencyOfSite(em: EntityManager, siteId: string): Promise<string | null> {
  const known = currencies.get(siteId);
  if (known !== undefined) return known;
  if (!isUuid(siteId)) return null;
  const [row] = await em.execute<{ currency: string }[]>(`select currency from sites where id = ?`, [siteId]);
  if (!row) return null;
  currencies.set(siteId, row.currency);
  return row.currency;
}

/** Whether there is such a site (the same per-process knowledge). */
export const isKnownSite = async (em: EntityManager, siteId: string): Promise<boolean> => (await currencyOfSite(em, siteId)) !== null;
