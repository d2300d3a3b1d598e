import type { Order, PaymentAttempt } from '../../entities';
import type { Shortfall } from '../stock/ledger';
import type { DisputeFacts, IntentFacts, RefundFacts } from './ports';

/** What the runner read before deciding (phase 1); guards look at nothing else. Entities are read, never written, here. */
export interface OrderFacts {
  now: Date;
  /** Null only before a cart exists (createCart). */
  order: Order | null;
  /** The order's current payment attempt. */
  current: PaymentAttempt | null;
  /** createCart: the site the cart is for (null: no such site). */
  site?: { currency: string } | null;
  /** refund: the captured, unrefunded attempts the command set out to refund; refundedAtGateway: all of them but the event's. */
  captured?: readonly PaymentAttempt[];
  /** refund: the admin asked for the sold units to go back on hand. */
  restock?: boolean;
  /** expire: the order is due by the expiry rule (one SQL predicate, src/domain/order/repository.ts). */
  due?: boolean;
  /** expireCart: a cart last changed at or before this is abandoned. */
  untouchedSince?: Date;
  /** A verified gateway event for one of the order's attempts. */
  payment?: {
    attempt: PaymentAttempt;
    intent: IntentFacts;
    misplaced: boolean;
    reason?: string;
    refund?: RefundFacts;
    dispute?: DisputeFacts;
  };
  /** Outcomes of the row's "before" effects, when it has any. */
  outcomes: BeforeOutcomes;
}

export interface BeforeOutcomes {
  /** expire: the current intent's cancel at the gateway. `live: false`: there was nothing to cancel. */
  cancel?: { attemptId: string | null; live: boolean; cancelled: boolean };
  /** refund: the gateway's refusal (null if none), the attempts refunded, and how many captured attempts are left unrefunded. */
  refund?: { refused: string | null; left: number; refunded: string[] };
  /** checkout: the lines the reservation could not hold (empty: all reserved). Written by the record reserveStock. */
  stock?: { short: Shortfall[] };
}
