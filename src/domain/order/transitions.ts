import { OrderState } from '../../entities/states';
import type { ActorKind } from '../actor';

const { DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED } = OrderState;

export interface TransitionDef {
  from: readonly OrderState[];
  to: OrderState;
  actors: readonly ActorKind[];
}

/**
 * THE order state machine (CONTRACT "Order states and transitions"). Every change of Order.state goes through
 * an event of this table; anything not listed changes nothing. `editCart` is the DRAFT self-loop of the cart
 * operations and is not a transition of the history.
 */
export const ORDER_TRANSITIONS = {
  editCart: { from: [DRAFT], to: DRAFT, actors: ['visitor'] },
  checkout: { from: [DRAFT], to: PENDING_PAYMENT, actors: ['visitor'] },
  paymentAuthorized: { from: [PENDING_PAYMENT], to: PAYMENT_AUTHORIZED, actors: ['gateway'] },
  confirm: { from: [PAYMENT_AUTHORIZED], to: CONFIRMED, actors: ['gateway'] },
  paymentFailed: { from: [PENDING_PAYMENT], to: PAYMENT_FAILED, actors: ['gateway'] },
  retryPayment: { from: [PAYMENT_FAILED], to: PENDING_PAYMENT, actors: ['visitor'] },
  expire: { from: [PENDING_PAYMENT, PAYMENT_FAILED], to: EXPIRED, actors: ['scheduler'] },
  // A cart nobody touched for DRAFT_CART_TTL_DAYS: abandoned carts must not accumulate for ever.
  expireCart: { from: [DRAFT], to: EXPIRED, actors: ['scheduler'] },
  refund: { from: [CONFIRMED], to: REFUNDED, actors: ['admin'] },
} as const satisfies Record<string, TransitionDef>;

export type OrderEvent = keyof typeof ORDER_TRANSITIONS;
export const ORDER_EVENTS = Object.keys(ORDER_TRANSITIONS) as OrderEvent[];

/** Pure: the state `event` leads to from `state` for `actor`, or null when the table has no such transition. */
export function nextState(state: OrderState, event: OrderEvent, actor: ActorKind): OrderState | null {
  const def: TransitionDef = ORDER_TRANSITIONS[event];
  return def.from.includes(state) && def.actors.includes(actor) ? def.to : null;
}

/** Checked once at boot: every state is reachable from DRAFT and every event names known states. */
export function validateTransitions(table: Record<string, TransitionDef> = ORDER_TRANSITIONS): void {
  const states = new Set(Object.values(OrderState));
  const reached = new Set<OrderState>([DRAFT]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [event, def] of Object.entries(table)) {
      for (const s of [...def.from, def.to]) if (!states.has(s)) throw new Error(`transition ${event} names unknown state ${s}`);
      if (def.from.some((s) => reached.has(s)) && !reached.has(def.to)) {
        reached.add(def.to);
        grew = true;
      }
    }
  }
  const unreachable = [...states].filter((s) => !reached.has(s));
  if (unreachable.length) throw new Error(`unreachable order states: ${unreachable.join(', ')}`);
}
