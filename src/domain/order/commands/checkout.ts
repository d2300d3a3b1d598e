import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ok, type Result, type UserError } from '../../errors';
import { lockedShopperOrder, type Shopper } from '../cart';
import type { PaymentSessionView } from '../runner/effects';
import { runOrderEvent, type OrderEventResult } from '../runner/run';

export type { PaymentSessionView };

export interface CheckoutResult {
  order: Order;
  paymentSession: PaymentSessionView | null;
  /** Set when the order moved (or stays) PENDING_PAYMENT but the gateway call failed: checkout again retries it. */
  gatewayError?: UserError;
}

export const toCheckoutResult = ({ order, outcomes }: OrderEventResult): CheckoutResult => ({
  order,
  paymentSession: outcomes.session ?? null,
  ...(outcomes.gatewayError && { gatewayError: outcomes.gatewayError }),
});

/**
 * DRAFT -> PENDING_PAYMENT: the attempt and the move in one transaction, then the PaymentIntent outside it. Called
 * again while PENDING_PAYMENT it returns the same session (or retries the gateway call with the same key).
 */
export async function checkout(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  input: { siteId: string },
): Promise<Result<CheckoutResult>> {
  const run = await runOrderEvent(em, deps, {
    siteId: input.siteId,
    event: 'checkout',
    actor: shopper,
    find: () => lockedShopperOrder(input.siteId, shopper),
    notFound: { what: 'Cart' },
  });
  return run.ok ? ok(toCheckoutResult(run.value)) : run;
}
