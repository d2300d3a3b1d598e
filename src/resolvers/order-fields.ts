import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { resumableSession } from '../domain/order/queries';
import type { PaymentAttempt as AttemptRow } from '../entities';
import { pageSize } from '../domain/pagination';
import { OrderState } from '../entities/states';
import { Order, OrderEvent, OrderLine, PaymentAttempt, PaymentDispute, PaymentSession } from '../schema/types';
import { availableOf, toProduct } from './mappers';

/** Lists without a cursor still have a bounded size (the query cost multiplies by it); lines are bounded by the cart. */
const firstArg = { nullable: true, defaultValue: 50, description: 'At most 100.' } as const;

const disputeOf = (a: AttemptRow): PaymentDispute | null =>
  a.disputeId === null
    ? null
    : {
        id: a.disputeId,
        status: a.disputeStatus ?? 'unknown',
        reason: a.disputeReason,
        amountMinor: a.disputeAmountMinor ?? 0,
        closed: a.disputeClosed,
      };

/** Order's nested fields: the parts asked in one tick are read in one transaction (src/context.ts). */
@Resolver(() => Order)
export class OrderFieldsResolver {
  @FieldResolver(() => [OrderLine])
  async lines(@Root() order: Order, @Ctx() ctx: Context): Promise<OrderLine[]> {
    const lines = await ctx.orderDetail(order.siteId, 'lines', order.id);
    return lines.map(({ line, product }) => ({
      id: line.id,
      product: toProduct(product),
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      lineTotalMinor: line.quantity * line.unitPriceMinor,
      available: availableOf(product),
    }));
  }

  @FieldResolver(() => [PaymentAttempt], { description: 'Oldest first.' })
  async paymentAttempts(
    @Root() order: Order,
    @Arg('first', () => Int, firstArg) first: number | null,
    @Ctx() ctx: Context,
  ): Promise<PaymentAttempt[]> {
    const attempts = await ctx.orderDetail(order.siteId, 'attempts', order.id);
    return attempts.slice(0, pageSize(first)).map((a) => ({
      id: a.id,
      status: a.status,
      amountMinor: a.amountMinor,
      createdAt: a.createdAt,
      failureReason: a.failureReason,
      needsRefund: a.needsRefund,
      refundedMinor: a.refundedMinor,
      dispute: disputeOf(a),
    }));
  }

  @FieldResolver(() => PaymentSession, {
    nullable: true,
    description: "The current attempt's session while PENDING_PAYMENT, so a lost checkout response can be recovered.",
  })
  async paymentSession(@Root() order: Order, @Ctx() ctx: Context): Promise<PaymentSession | null> {
    return resumableSession(ctx.deps, order.state, () => ctx.orderDetail(order.siteId, 'attempts', order.id));
  }

  @FieldResolver(() => Boolean, { description: 'True when any attempt of this order needs a refund.' })
  async needsRefund(@Root() order: Order, @Ctx() ctx: Context): Promise<boolean> {
    const attempts = await ctx.orderDetail(order.siteId, 'attempts', order.id);
    return attempts.some((a) => a.needsRefund);
  }

  @FieldResolver(() => Boolean, { description: 'True when a payment of this order was ever disputed at the gateway (a chargeback).' })
  async disputed(@Root() order: Order, @Ctx() ctx: Context): Promise<boolean> {
    const attempts = await ctx.orderDetail(order.siteId, 'attempts', order.id);
    return attempts.some((a) => a.disputeId !== null);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The latest dispute's outcome once closed (won, lost, warning_closed); null while open or when none.",
  })
  async disputeOutcome(@Root() order: Order, @Ctx() ctx: Context): Promise<string | null> {
    const attempts = await ctx.orderDetail(order.siteId, 'attempts', order.id);
    const latest = attempts.filter((a) => a.disputeId !== null).pop();
    return latest?.disputeClosed ? latest.disputeStatus : null;
  }

  @FieldResolver(() => [OrderEvent], { description: 'Oldest first.' })
  async history(@Root() order: Order, @Arg('first', () => Int, firstArg) first: number | null, @Ctx() ctx: Context): Promise<OrderEvent[]> {
    const history = await ctx.orderDetail(order.siteId, 'history', order.id);
    return history.slice(0, pageSize(first)).map((h) => ({
      at: h.at,
      from: (h.fromState as OrderState) ?? null,
      to: h.toState as OrderState,
      actor: h.actor,
      reason: h.reason,
    }));
  }
}
