import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { listAuditLog } from '../domain/audit-log';
import { createProduct, updateProduct } from '../domain/catalog/products';
import { MAX_STATS_DAYS, siteStats } from '../domain/site/site-stats';
import { refundOrder } from '../domain/order/commands/refund-order';
import { getOrder, listOrders } from '../domain/order/queries';
import { OrderState } from '../entities/states';
import { SiteStats } from '../schema/console-types';
import { CreateProductInput, UpdateProductInput } from '../schema/inputs';
import { OrderPayload, ProductPayload } from '../schema/payloads';
import { AuditEntryConnection, Order, OrderConnection } from '../schema/types';
import { connection, payload, toAuditEntry, toOrder, toProduct } from './mappers';
import { adminOf } from './platform';
import { shopperOf } from './storefront';

@Resolver()
export class SiteAdminResolver {
  @Query(() => Order, {
    nullable: true,
    description: 'Visitor: only the order of its own cart token. Customer: only their own orders. Admin: any order of an entitled site.',
  })
  async order(@Arg('siteId', () => ID) siteId: string, @Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Order | null> {
    // Shield admits an admin of the site or a shopper; a shopper is held to its own orders.
    const order = await getOrder(ctx.em, siteId, id, ctx.admin ? undefined : shopperOf(ctx));
    return order ? toOrder(order) : null;
  }

  @Query(() => OrderConnection)
  async orders(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('state', () => OrderState, { nullable: true }) state: OrderState | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('customerId', () => ID, { nullable: true, description: "One customer's orders only." }) customerId: string | null,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    return connection(await listOrders(ctx.em, siteId, { state, customerId, first, after }), toOrder);
  }

  @Query(() => AuditEntryConnection)
  async auditLog(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<AuditEntryConnection> {
    return connection(await listAuditLog(ctx.em, siteId, { first, after }), toAuditEntry);
  }

  @Mutation(() => ProductPayload)
  async createProduct(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => CreateProductInput) input: CreateProductInput,
    @Ctx() ctx: Context,
  ): Promise<ProductPayload> {
    return payload('product', await createProduct(ctx.em, ctx.deps, adminOf(ctx), { siteId, ...input }), toProduct);
  }

  @Mutation(() => ProductPayload, { description: "An admin's edit of a product's name or price; the SKU stays." })
  async updateProduct(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('productId', () => ID) productId: string,
    @Arg('input', () => UpdateProductInput) input: UpdateProductInput,
    @Ctx() ctx: Context,
  ): Promise<ProductPayload> {
    return payload('product', await updateProduct(ctx.em, ctx.deps, adminOf(ctx), { siteId, productId, ...input }), toProduct);
  }

  @Query(() => SiteStats, {
    nullable: true,
    description: `The admin dashboard's figures over the last \`days\` UTC days (1..${MAX_STATS_DAYS}).`,
  })
  siteStats(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('days', () => Int, { nullable: true, defaultValue: 30 }) days: number,
    @Ctx() ctx: Context,
  ): Promise<SiteStats | null> {
    return siteStats(ctx.em, siteId, ctx.deps.clock.now(), days ?? 30);
  }

  @Mutation(() => OrderPayload)
  async refundOrder(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('restock', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Put the sold units of a refunded CONFIRMED order back on hand (RESTOCK rows, audited).',
    })
    restock: boolean,
    @Ctx() ctx: Context,
  ): Promise<OrderPayload> {
    return payload('order', await refundOrder(ctx.em, ctx.deps, adminOf(ctx), { siteId, orderId, reason, restock }), toOrder);
  }
}
