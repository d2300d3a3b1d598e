import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainDeps } from '../../deps';
import { ok, type Result } from '../../errors';
import { lockedShopperOrder, type Shopper } from '../cart';
import { runOrderEvent } from '../runner/run';
import { toCheckoutResult, type CheckoutResult } from './checkout';

/**
 * PAYMENT_FAILED -> PENDING_PAYMENT before the recovery deadline, as a NEW attempt (new idempotency key, new
 * PaymentIntent). After the commit the superseded intent is cancelled (best effort), then the new one created; if
 * that fails the order stays PENDING_PAYMENT and `checkout` retries it.
 */
export async function retryPayment(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  input: { siteId: string; orderId: string },
): Promise<Result<CheckoutResult>> {
  const run = await runOrderEvent(em, deps, {
    siteId: input.siteId,
    event: 'retryPayment',
    actor: shopper,
    find: () => lockedShopperOrder(input.siteId, shopper, input.orderId),
    notFound: { what: 'Order', field: ['orderId'] },
    audit: (facts) => ({ detail: { supersededAttemptId: facts.current?.id ?? null } }),
  });
  return run.ok ? ok(toCheckoutResult(run.value)) : run;
}
