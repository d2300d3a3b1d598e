import type { EntityManager } from '@mikro-orm/postgresql';
import { Product } from '../../entities';
import type { AdminActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { selectEntity } from '../sql';
import { inSite, isUuid } from '../tx';
import { LIMITS, Validator } from '../validation';
import { adjustOnHand, lockStock } from './ledger';

const REASON_MAX = 1000;

/** The admin's stock commands: each one ADJUSTMENT row of the ledger and one audit entry, in one transaction. */
interface StockChange {
  siteId: string;
  productId: string;
  reason: string;
}

/** On hand set to a count (null: untracked, as before stock existed). Never below what checkouts hold. */
export function setStock(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: StockChange & { stockOnHand: number | null },
): Promise<Result<Product>> {
  const v = new Validator();
  if (input.stockOnHand !== null) v.int(['stockOnHand'], input.stockOnHand, 0, LIMITS.maxInt);
  return change(em, deps, admin, input, v, 'product.setStock', () => input.stockOnHand, ['stockOnHand']);
}

/** On hand moved by a signed delta (a delivery, a count, breakage); only for a tracked product. */
export function adjustStock(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: StockChange & { delta: number },
): Promise<Result<Product>> {
  const v = new Validator();
  v.int(['delta'], input.delta, -LIMITS.maxInt, LIMITS.maxInt);
  if (input.delta === 0) return Promise.resolve(refuse(ErrorCode.VALIDATION, 'delta must not be 0', ['delta']));
  return change(em, deps, admin, input, v, 'product.adjustStock', (onHand) => (onHand === null ? undefined : onHand + input.delta), [
    'delta',
  ]);
}

/** `next` gives the new on-hand count from the current one (undefined: the product is untracked, nothing to adjust). */
async function change(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: StockChange,
  v: Validator,
  action: string,
  next: (onHand: number | null) => number | null | undefined,
  field: string[],
): Promise<Result<Product>> {
  const reason = v.text(['reason'], input.reason, REASON_MAX) ?? '';
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!isUuid(input.productId)) return notFound('Product', ['productId']);
  const { siteId, productId } = input;
  return inSite(em, siteId, async (tx) => {
    const stock = await lockStock(tx, siteId, productId);
    if (!stock) return notFound('Product', ['productId']);
    const onHand = next(stock.onHand);
    if (onHand === undefined) return refuse(ErrorCode.VALIDATION, 'The product is untracked: set its stock first', ['productId']);
    if (onHand !== null && (onHand < stock.reserved || onHand > LIMITS.maxInt))
      return refuse(ErrorCode.INSUFFICIENT_STOCK, `Checkouts hold ${stock.reserved}: on hand cannot be ${onHand}`, field);
    if (onHand === null && stock.reserved > 0)
      return refuse(ErrorCode.CONFLICT, `Checkouts hold ${stock.reserved}: the product cannot be untracked now`, field);
    const now = deps.clock.now();
    await adjustOnHand(tx, siteId, productId, stock.onHand, onHand, reason, admin, now);
    audit(tx, admin, now, { siteId, action, entity: 'Product', entityId: productId, reason, detail: { from: stock.onHand, to: onHand } });
    const product = await selectEntity(tx, Product, `select * from products where site_id = ? and id = ?`, [siteId, productId]);
    return ok(product!);
  });
}
