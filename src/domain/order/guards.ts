import { ErrorCode } from '../errors';
import { guard } from '../machine';
import type { OrderFacts } from './facts';

/** The named predicates of the order process (src/domain/order/process.ts). Each is unit-tested holding and failing. */
type G = ReturnType<typeof guard<OrderFacts>>;
const state = (f: OrderFacts) => f.order?.state ?? 'new';

export const siteKnown: G = guard('siteKnown', ErrorCode.NOT_FOUND, (f) => f.site != null, 'Site not found', ['siteId']);

/** A guest's cart (no customer yet): the only kind a login takes over; a customer's cart is never taken from them. */
export const isGuestCart: G = guard(
  'isGuestCart',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.order?.customerId == null,
  "the cart is a customer's",
);

export const hasLines: G = guard('hasLines', ErrorCode.EMPTY_CART, (f) => (f.order?.lineCount ?? 0) > 0, 'The cart is empty');

export const hasCheckoutDetails: G = guard(
  'hasCheckoutDetails',
  ErrorCode.CHECKOUT_DETAILS_MISSING,
  (f) => Boolean(f.order?.email && f.order.shippingAddress && f.order.billingAddress),
  'Set the email, shipping and billing address before checkout',
);

/** Holds until the reservation (the record reserveStock) came back short: then nothing is reserved and checkout is refused. */
export const stockReserved: G = guard(
  'stockReserved',
  ErrorCode.INSUFFICIENT_STOCK,
  (f) => !f.outcomes.stock?.short.length,
  (f) => f.outcomes.stock!.short.map((s) => `only ${s.available} available of product ${s.productId} (${s.wanted} in the cart)`).join('; '),
  ['lines'],
);

const windowClosed = (f: OrderFacts) => f.order?.recoveryDeadline != null && f.now >= f.order.recoveryDeadline;
const closedMessage = (f: OrderFacts) => `The recovery window closed at ${f.order!.recoveryDeadline!.toISOString()}`;

/** CONTRACT: a failed payment may be retried for 24 h. */
export const withinRecoveryWindow: G = guard(
  'withinRecoveryWindow',
  ErrorCode.RECOVERY_WINDOW_EXPIRED,
  (f) => !windowClosed(f),
  closedMessage,
);

/** An EXPIRED order that had a recovery window: a retry is refused as "window closed", not as merely invalid. */
export const recoveryWindowClosed: G = guard('recoveryWindowClosed', ErrorCode.INVALID_TRANSITION, windowClosed, 'no recovery window');
export const recoveryWindowClosedMessage = closedMessage;

export const hasCapturedMoney: G = guard(
  'hasCapturedMoney',
  ErrorCode.NOTHING_TO_REFUND,
  (f) => (f.captured?.length ?? 0) > 0,
  (f) => `Order is ${state(f)} and has no captured, unrefunded payment`,
);

/** Holds until the gateway refused one of the refunds (before the refunds ran there is no refusal). */
export const gatewayRefunded: G = guard(
  'gatewayRefunded',
  ErrorCode.PAYMENT_GATEWAY_ERROR,
  (f) => !f.outcomes.refund?.refused,
  (f) => `The payment gateway refused the refund: ${f.outcomes.refund?.refused}`,
);

/** REFUNDED only once no captured money is left on the order (a concurrent confirmation may have added some). */
export const nothingLeftCaptured: G = guard(
  'nothingLeftCaptured',
  ErrorCode.INVALID_TRANSITION,
  (f) => (f.outcomes.refund?.left ?? 0) === 0,
  'captured money is left on the order',
);

export const isDue: G = guard('isDue', ErrorCode.INVALID_TRANSITION, (f) => f.due === true, 'the order is not due to expire');

/** A pending payment whose intent the gateway would not cancel may have been paid: its webhook confirms it instead. */
export const intentCancelled: G = guard(
  'intentCancelled',
  ErrorCode.PAYMENT_GATEWAY_ERROR,
  (f) => !f.outcomes.cancel?.live || f.outcomes.cancel.cancelled,
  'the gateway refused to cancel the current intent',
);

/** A retry may have replaced the attempt whose intent was cancelled: that order is not due any more. */
export const sameAttemptAsCancelled: G = guard(
  'sameAttemptAsCancelled',
  ErrorCode.INVALID_TRANSITION,
  (f) => !f.outcomes.cancel || f.outcomes.cancel.attemptId === (f.current?.id ?? null),
  'a retry replaced the attempt since its intent was cancelled',
);

export const cartUntouched: G = guard(
  'cartUntouched',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.untouchedSince !== undefined && f.order !== null && f.order.updatedAt <= f.untouchedSince,
  'the cart changed since it was found untouched',
);

export const MISPLACED = "the intent's metadata names another site than the one holding it";

export const intentOfThisSite: G = guard(
  'intentOfThisSite',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.payment?.misplaced === false,
  MISPLACED,
);

/** Both the amount asked for and the amount received equal the attempt's, in its currency: anything else confirms nothing. */
export const amountMatches: G = guard(
  'amountMatches',
  ErrorCode.INVALID_TRANSITION,
  (f) =>
    f.payment !== undefined &&
    f.payment.intent.amountMinor === f.payment.attempt.amountMinor &&
    f.payment.intent.amountReceivedMinor === f.payment.attempt.amountMinor &&
    f.payment.intent.currency === f.payment.attempt.currency,
  (f) =>
    `amount or currency does not match the attempt: asked ${f.payment?.intent.amountMinor}, received ` +
    `${f.payment?.intent.amountReceivedMinor ?? 'unknown'} ${f.payment?.intent.currency}, expected ${f.payment?.attempt.amountMinor} ${f.payment?.attempt.currency}`,
);

/** Aegis marks an attempt before it asks the gateway to cancel its intent (expiry, a retry): a cancel it did not mark is the gateway's. */
export const notCancelledByAegis: G = guard(
  'notCancelledByAegis',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.payment !== undefined && f.payment.attempt.cancelRequestedAt === null,
  'Aegis cancelled this intent itself',
);

/** All the attempt captured is refunded at the gateway. */
export const refundedInFull: G = guard(
  'refundedInFull',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.payment?.refund !== undefined && f.payment.refund.refundedMinor >= f.payment.refund.capturedMinor,
  (f) => `partial refund: ${f.payment?.refund?.refundedMinor} of ${f.payment?.refund?.capturedMinor} refunded`,
);

/** No other attempt of the order holds captured, unrefunded money. */
export const nothingElseCaptured: G = guard(
  'nothingElseCaptured',
  ErrorCode.INVALID_TRANSITION,
  (f) => (f.captured ?? []).every((a) => a.id === f.payment?.attempt.id),
  'another attempt of the order holds captured money',
);

export const isCurrentAttempt: G = guard(
  'isCurrentAttempt',
  ErrorCode.INVALID_TRANSITION,
  (f) => f.payment !== undefined && f.order?.currentAttemptId === f.payment.attempt.id,
  (f) => `order is ${state(f)} and this is not its current attempt`,
);
