import { OrderState } from '../../entities/states';
import { ErrorCode } from '../errors';
import { NONE, SAME, validateTable, type MoveRow, type Row } from '../machine';
import type { OrderFacts } from './facts';
import * as g from './guards';

const { DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED } = OrderState;

/** Records a row writes in its move's transaction (src/domain/order/records.ts). */
export type OrderRecord =
  | 'reserveStock'
  | 'sellStock'
  | 'releaseStock'
  | 'restockIfAsked'
  | 'openAttempt'
  | 'clearRecoveryDeadline'
  | 'failCurrentAttempt'
  | 'cancelCurrentAttempt'
  | 'cancelledAtGateway'
  | 'recordGatewayRefund'
  | 'recordDispute';
/** Gateway calls a row makes (src/domain/order/effects.ts). */
export type OrderEffect = 'createIntent' | 'cancelSupersededIntent' | 'cancelCurrentIntent' | 'refundCaptured';

type OrderRow = Row<OrderState, OrderFacts, OrderRecord, OrderEffect>;

/**
 * THE order process (CONTRACT "Order states and transitions"). Every change of an order goes through an event of
 * this table, run by src/domain/order/runner.ts; anything not listed changes nothing. An event's rows are tried in
 * order, and the first whose state, actor and guards hold is taken (src/domain/machine.ts). SAME rows are
 * self-loops: the state stays and the history gains no entry.
 */
export const ORDER_PROCESS = {
  // The shopper's own rows: a visitor (its cart token) or a signed-in customer (their carts, from any device).
  createCart: [{ from: [NONE], to: DRAFT, actors: ['visitor', 'customer'], guards: [g.siteKnown] }],
  // addToCart, updateCartLine and setCheckoutDetails: the cart's edits, each audited by its command.
  editCart: [{ from: [DRAFT], to: SAME, actors: ['visitor', 'customer'] }],
  // At login (src/domain/order/commands/take-over-guest-cart.ts): a guest's cart merged into the customer's open
  // cart ends EXPIRED (its token stops), or, with no open cart, is adopted as it is. Never a cart at checkout.
  mergeCart: [{ from: [DRAFT], to: EXPIRED, actors: ['customer'], guards: [g.isGuestCart] }],
  adoptCart: [{ from: [DRAFT], to: SAME, actors: ['customer'], guards: [g.isGuestCart] }],
  checkout: [
    {
      from: [DRAFT],
      to: PENDING_PAYMENT,
      actors: ['visitor', 'customer'],
      // Stock is reserved before the intent exists: a payment that confirms always has its stock (README "Stock").
      guards: [g.hasLines, g.hasCheckoutDetails, g.stockReserved],
      before: ['reserveStock', 'openAttempt'],
      effects: [{ name: 'createIntent', when: 'after' }],
    },
    // Checkout again (a lost answer): the same attempt and session, or its intent created now with the same key.
    { from: [PENDING_PAYMENT], to: SAME, actors: ['visitor', 'customer'], effects: [{ name: 'createIntent', when: 'after' }] },
  ],
  paymentAuthorized: [
    {
      from: [PENDING_PAYMENT],
      to: PAYMENT_AUTHORIZED,
      actors: ['gateway'],
      guards: [g.intentOfThisSite, g.amountMatches, g.isCurrentAttempt],
      then: 'confirm',
    },
  ],
  confirm: [{ from: [PAYMENT_AUTHORIZED], to: CONFIRMED, actors: ['gateway'], before: ['sellStock'] }],
  paymentFailed: [
    {
      from: [PENDING_PAYMENT],
      to: PAYMENT_FAILED,
      actors: ['gateway'],
      guards: [g.intentOfThisSite, g.isCurrentAttempt],
      before: ['failCurrentAttempt'],
    },
  ],
  // The intent was cancelled at the gateway (its dashboard, its API) while the order waited for it: not by Aegis.
  paymentCanceled: [
    {
      from: [PENDING_PAYMENT],
      to: PAYMENT_FAILED,
      actors: ['gateway'],
      guards: [g.intentOfThisSite, g.isCurrentAttempt, g.notCancelledByAegis],
      before: ['cancelledAtGateway'],
    },
  ],
  retryPayment: [
    {
      from: [PAYMENT_FAILED],
      to: PENDING_PAYMENT,
      actors: ['visitor', 'customer'],
      guards: [g.withinRecoveryWindow],
      before: ['clearRecoveryDeadline', 'openAttempt'],
      effects: [
        // Best effort: a refusal is alerted, and money that still lands on the old intent is flagged needsRefund.
        { name: 'cancelSupersededIntent', when: 'after' },
        { name: 'createIntent', when: 'after' },
      ],
    },
    {
      from: [EXPIRED],
      actors: ['visitor', 'customer'],
      guards: [g.recoveryWindowClosed],
      refuse: { code: ErrorCode.RECOVERY_WINDOW_EXPIRED, message: g.recoveryWindowClosedMessage },
    },
  ],
  expire: [
    // The intent is cancelled first, so nobody can still pay it; if the gateway refuses, a pending payment may have
    // been paid and is kept (its webhook confirms it).
    {
      from: [PENDING_PAYMENT],
      to: EXPIRED,
      actors: ['scheduler'],
      guards: [g.isDue, g.intentCancelled, g.sameAttemptAsCancelled],
      before: ['cancelCurrentAttempt', 'releaseStock'],
      effects: [{ name: 'cancelCurrentIntent', when: 'before' }],
    },
    // A failed payment's order cannot be confirmed anyway: it expires even if the cancel was refused.
    {
      from: [PAYMENT_FAILED],
      to: EXPIRED,
      actors: ['scheduler'],
      guards: [g.isDue],
      before: ['cancelCurrentAttempt', 'releaseStock'],
      effects: [{ name: 'cancelCurrentIntent', when: 'before' }],
    },
  ],
  // A cart nobody touched for DRAFT_CART_TTL_DAYS: abandoned carts must not accumulate for ever.
  expireCart: [{ from: [DRAFT], to: EXPIRED, actors: ['scheduler'], guards: [g.cartUntouched] }],
  refund: [
    {
      from: [CONFIRMED],
      to: REFUNDED,
      actors: ['admin'],
      guards: [g.hasCapturedMoney, g.gatewayRefunded, g.nothingLeftCaptured],
      before: ['restockIfAsked'],
      effects: [{ name: 'refundCaptured', when: 'before' }],
    },
    // Any other state (or money left after a concurrent confirmation): the flagged money goes back, the state stays
    // (the seed's "admin can manually refund if stuck").
    {
      from: [DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED],
      to: SAME,
      actors: ['admin'],
      guards: [g.hasCapturedMoney, g.gatewayRefunded],
      effects: [{ name: 'refundCaptured', when: 'before' }],
    },
  ],
  // The gateway's word after confirmation: a refund made there (its dashboard) is recorded on the attempt; once all
  // the order's captured money is refunded, a CONFIRMED order is REFUNDED. Aegis's own refunds come back this way
  // too, to an order already REFUNDED: recorded, nothing moves.
  refundedAtGateway: [
    {
      from: [CONFIRMED],
      to: REFUNDED,
      actors: ['gateway'],
      guards: [g.refundedInFull, g.nothingElseCaptured],
      before: ['recordGatewayRefund'],
    },
    {
      from: [DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED],
      to: SAME,
      actors: ['gateway'],
      before: ['recordGatewayRefund'],
    },
  ],
  // A dispute (chargeback) opened or closed: recorded on the attempt and alerted; the order's state is the admin's call.
  disputeChanged: [
    {
      from: [DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED],
      to: SAME,
      actors: ['gateway'],
      before: ['recordDispute'],
    },
  ],
} as const satisfies Record<string, readonly OrderRow[]>;

export type OrderEvent = keyof typeof ORDER_PROCESS;
export const ORDER_EVENTS = Object.keys(ORDER_PROCESS) as OrderEvent[];
export const ORDER_TABLE: Record<OrderEvent, readonly OrderRow[]> = ORDER_PROCESS;

/** The move rows of one event (for the README's table and the runner's planning). */
export const movesOf = (event: OrderEvent) =>
  ORDER_TABLE[event].filter((r): r is MoveRow<OrderState, OrderFacts, OrderRecord, OrderEffect> => !('refuse' in r));

/** Events whose rows call the gateway before the move (the runner decides them once without the lock first); computed once. */
export const DECIDED_TWICE: ReadonlySet<OrderEvent> = new Set(
  ORDER_EVENTS.filter((e) => movesOf(e).some((r) => r.effects?.some((x) => x.when === 'before'))),
);

/** States in which checking out again returns the current session (the checkout self-loop); computed once. */
export const RESUMABLE_STATES: ReadonlySet<OrderState> = new Set(
  movesOf('checkout').flatMap((r) => (r.to === SAME ? r.from.filter((s): s is OrderState => s !== NONE) : [])),
);

/** Checked once at boot: every state is reachable from a new cart and every row names known states. */
export const validateOrderProcess = () => validateTable('order', ORDER_TABLE, Object.values(OrderState), NONE);
