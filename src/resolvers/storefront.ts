import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { listProducts } from '../domain/catalog/products';
import { addToCart } from '../domain/order/commands/add-to-cart';
import { checkout, type CheckoutResult } from '../domain/order/commands/checkout';
import { createCart } from '../domain/order/commands/create-cart';
import { retryPayment } from '../domain/order/commands/retry-payment';
import { setCheckoutDetails } from '../domain/order/commands/set-checkout-details';
import { updateCartLine } from '../domain/order/commands/update-cart-line';
import type { Shopper } from '../domain/order/cart';
import { getCart, listCustomerOrders } from '../domain/order/queries';
import type { Result } from '../domain/errors';
import { CheckoutDetailsInput } from '../schema/inputs';
import { CheckoutPayload, CreateCartPayload, OrderPayload } from '../schema/payloads';
import { Order, OrderConnection, ProductConnection } from '../schema/types';
import { connection, payload, toOrder, toProduct } from './mappers';
import { selects } from './selection';

/**
 * The shopper acting: the signed-in customer when there is one (their cart wins over a cart token sent beside it),
 * else the visitor of the X-Cart-Token. Shield lets a storefront operation through only with one of them (and a
 * customer only on their own site): their absence here is a bug.
 */
export function shopperOf(ctx: Context): Shopper {
  const shopper = ctx.customer ?? ctx.visitor;
  if (!shopper) throw new Error('storefront operation reached without a customer or a cart token');
  return shopper;
}

/** Shield lets myOrders through only for a customer of the site. */
function customerOf(ctx: Context) {
  if (!ctx.customer) throw new Error('myOrders reached without a customer');
  return ctx.customer;
}

/** A gateway failure after the order moved is reported beside the order, which stays PENDING_PAYMENT. */
function toCheckoutPayload(result: Result<CheckoutResult>): CheckoutPayload {
  if (!result.ok) return { order: null, paymentSession: null, userErrors: result.errors };
  const { order, paymentSession, gatewayError } = result.value;
  return { order: toOrder(order), paymentSession, userErrors: gatewayError ? [gatewayError] : [] };
}

@Resolver()
export class StorefrontResolver {
  @Query(() => ProductConnection, { description: 'Public catalogue of one site.' })
  async products(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ProductConnection> {
    return connection(await listProducts(ctx.em, siteId, { first, after }), toProduct);
  }

  @Query(() => Order, {
    nullable: true,
    description:
      "The order of the caller's X-Cart-Token on this site (DRAFT or later). A signed-in customer's: their open cart from any device, else their newest order.",
  })
  async cart(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<Order | null> {
    const order = await getCart(ctx.em, shopperOf(ctx), siteId);
    return order ? toOrder(order) : null;
  }

  @Query(() => OrderConnection, { description: "The signed-in customer's own orders of this site, newest first." })
  async myOrders(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    return connection(await listCustomerOrders(ctx.em, customerOf(ctx), siteId, { first, after }), toOrder);
  }

  @Mutation(() => CreateCartPayload)
  async createCart(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<CreateCartPayload> {
    const result = await createCart(ctx.em, ctx.deps, { siteId, clientKey: ctx.clientKey, customer: ctx.customer });
    return result.ok
      ? { cartToken: result.value.cartToken, order: toOrder(result.value.order), userErrors: [] }
      : { cartToken: null, order: null, userErrors: result.errors };
  }

  @Mutation(() => OrderPayload)
  async addToCart(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('productId', () => ID) productId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrderPayload> {
    const withLines = selects(info, 'order', 'lines');
    const added = await addToCart(ctx.em, ctx.deps, shopperOf(ctx), { siteId, productId, quantity, withLines });
    if (added.ok && added.value.lines) ctx.knownOrderDetail(added.value.order.siteId, 'lines', added.value.order.id, added.value.lines);
    return payload('order', added, ({ order }) => toOrder(order));
  }

  @Mutation(() => OrderPayload, { description: 'Quantity 0 removes the line.' })
  async updateCartLine(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('lineId', () => ID) lineId: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: Context,
  ): Promise<OrderPayload> {
    return payload('order', await updateCartLine(ctx.em, ctx.deps, shopperOf(ctx), { siteId, lineId, quantity }), toOrder);
  }

  @Mutation(() => OrderPayload)
  async setCheckoutDetails(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => CheckoutDetailsInput) input: CheckoutDetailsInput,
    @Ctx() ctx: Context,
  ): Promise<OrderPayload> {
    return payload('order', await setCheckoutDetails(ctx.em, ctx.deps, shopperOf(ctx), { siteId, ...input }), toOrder);
  }

  @Mutation(() => CheckoutPayload, {
    description: 'DRAFT -> PENDING_PAYMENT. Called again while PENDING_PAYMENT it returns the same session and creates no new payment.',
  })
  async checkout(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<CheckoutPayload> {
    return toCheckoutPayload(await checkout(ctx.em, ctx.deps, shopperOf(ctx), { siteId }));
  }

  @Mutation(() => CheckoutPayload, {
    description: 'PAYMENT_FAILED -> PENDING_PAYMENT before the recovery deadline, as a new attempt with a new idempotency key.',
  })
  async retryPayment(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('orderId', () => ID) orderId: string,
    @Ctx() ctx: Context,
  ): Promise<CheckoutPayload> {
    return toCheckoutPayload(await retryPayment(ctx.em, ctx.deps, shopperOf(ctx), { siteId, orderId }));
  }
}
