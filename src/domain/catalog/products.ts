import type { EntityManager } from '@mikro-orm/postgresql';
import { Product } from '../../entities';
import type { Actor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { lookup } from '../sql';
import { inSite, isUuid, readAllInSite } from '../tx';
import { currencyOfSite } from '../site/known-sites';
import { LIMITS, Validator } from '../validation';

export function createProduct(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; sku: string; name: string; priceMinor: number },
): Promise<Result<Product>> {
  const { siteId } = input;
  const v = new Validator();
  const sku = v.text(['input', 'sku'], input.sku, 64) ?? '';
  const name = v.text(['input', 'name'], input.name, LIMITS.name) ?? '';
  v.int(['input', 'priceMinor'], input.priceMinor, 0, LIMITS.priceMinor);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return inSite(em, siteId, async (tx) => {
    const currency = await currencyOfSite(tx, siteId);
    if (currency === null) return notFound('Site', ['siteId']);
    if (await tx.count(Product, { sku })) return refuse(ErrorCode.CONFLICT, `A product with SKU ${sku} exists`, ['input', 'sku']);
    const now = deps.clock.now();
    const product = new Product(siteId, sku, name, input.priceMinor, currency, now);
    tx.persist(product);
    audit(tx, actor, now, {
      siteId,
      action: 'product.create',
      entity: 'Product',
      entityId: product.id,
      detail: { sku, priceMinor: input.priceMinor },
    });
    return ok(product);
  });
}

/**
 * An admin's edit of a product's name or price (the SKU is its key and stays). Lines already in carts keep the
 * price they were added at; the audit entry names the old and new values.
 */
export function updateProduct(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  input: { siteId: string; productId: string; name?: string | null; priceMinor?: number | null },
): Promise<Result<Product>> {
  const { siteId, productId } = input;
  const v = new Validator();
  const name = input.name == null ? null : v.text(['input', 'name'], input.name, LIMITS.name);
  if (input.priceMinor != null) v.int(['input', 'priceMinor'], input.priceMinor, 0, LIMITS.priceMinor);
  if (v.ok && name === null && input.priceMinor == null)
    return Promise.resolve(refuse(ErrorCode.VALIDATION, 'Nothing to change', ['input']));
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return inSite(em, siteId, async (tx) => {
    const product = isUuid(productId) ? await tx.findOne(Product, { id: productId }) : null;
    if (!product) return notFound('Product', ['productId']);
    const before = { name: product.name, priceMinor: product.priceMinor };
    if (name !== null) product.name = name;
    if (input.priceMinor != null) product.priceMinor = input.priceMinor;
    audit(tx, actor, deps.clock.now(), {
      siteId,
      action: 'product.update',
      entity: 'Product',
      entityId: product.id,
      detail: { before, after: { name: product.name, priceMinor: product.priceMinor } },
    });
    return ok(product);
  });
}

export async function listProducts(
  em: EntityManager,
  siteId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<Product> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = pageSize(args.first);
  // One read: one message with its tenant setting (a storefront's catalogue page, the most frequent read of all).
  const found = await readAllInSite(em.fork(), siteId, {
    page: cursor
      ? lookup(Product, `select * from products where site_id = ? and (created_at, id) > (?, ?) order by created_at, id limit ?`, [
          siteId,
          cursor.at,
          cursor.id,
          limit + 1,
        ])
      : lookup(Product, `select * from products where site_id = ? order by created_at, id limit ?`, [siteId, limit + 1]),
  });
  if (!found) return null;
  const rows = found.page;
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf: (p) => encodeCursor(p.createdAt, p.id) };
}
