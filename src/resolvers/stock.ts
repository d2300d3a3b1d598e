import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { adjustStock, setStock } from '../domain/stock/commands';
import { listStockMovements, type StockMovementRow } from '../domain/stock/queries';
import { StockMovementKind } from '../schema/enums';
import { ProductPayload } from '../schema/payloads';
import { StockMovement, StockMovementConnection } from '../schema/stock-types';
import { Product } from '../schema/types';
import { connection, payload, toProduct } from './mappers';
import { adminOf } from './platform';

const toMovement = (m: StockMovementRow): StockMovement => ({ ...m, kind: m.kind as StockMovementKind });

/** Stock (README "Stock"): the admin's two commands and a product's ledger. */
@Resolver(() => Product)
export class StockResolver {
  @Mutation(() => ProductPayload, { description: 'On hand set to a count (null: untracked); one ledger row, audited.' })
  async setStock(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('productId', () => ID) productId: string,
    @Arg('stockOnHand', () => Int, { nullable: true }) stockOnHand: number | null,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ): Promise<ProductPayload> {
    return payload('product', await setStock(ctx.em, ctx.deps, adminOf(ctx), { siteId, productId, stockOnHand, reason }), toProduct);
  }

  @Mutation(() => ProductPayload, { description: 'On hand moved by a signed delta (tracked products only); one ledger row, audited.' })
  async adjustStock(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('productId', () => ID) productId: string,
    @Arg('delta', () => Int) delta: number,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ): Promise<ProductPayload> {
    return payload('product', await adjustStock(ctx.em, ctx.deps, adminOf(ctx), { siteId, productId, delta, reason }), toProduct);
  }

  @FieldResolver(() => StockMovementConnection, { description: "Admins of the product's site only. Newest first." })
  async stockMovements(
    @Root() product: Product,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<StockMovementConnection> {
    return connection(await listStockMovements(ctx.em, product.siteId, product.id, { first, after }), toMovement);
  }
}
