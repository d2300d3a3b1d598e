import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, ActorKind } from '../../src/domain/actor';
import { applyTransition } from '../../src/domain/order/machine';
import { nextState, ORDER_EVENTS, ORDER_TRANSITIONS, validateTransitions, type TransitionDef } from '../../src/domain/order/transitions';
import { Order, OrderState, Role } from '../../src/entities';

const STATES = Object.values(OrderState);
const ACTORS: ActorKind[] = ['visitor', 'admin', 'gateway', 'scheduler', 'ai', 'system'];
function actorOf(kind: ActorKind): Actor {
  switch (kind) {
    case 'visitor':
      return { kind, cartTokenHash: 'h'.repeat(64) };
    case 'admin':
      return { kind, adminId: 'a', email: 'a@x.io', role: Role.SUPER_ADMIN, siteIds: [] };
    case 'system':
      return { kind, name: 'test' };
    default:
      return { kind };
  }
}

/** The contract's table, written out by hand: the code's table must say exactly this. */
const EXPECTED: Record<string, [OrderState[], OrderState, ActorKind[]]> = {
  editCart: [[OrderState.DRAFT], OrderState.DRAFT, ['visitor']],
  checkout: [[OrderState.DRAFT], OrderState.PENDING_PAYMENT, ['visitor']],
  paymentAuthorized: [[OrderState.PENDING_PAYMENT], OrderState.PAYMENT_AUTHORIZED, ['gateway']],
  confirm: [[OrderState.PAYMENT_AUTHORIZED], OrderState.CONFIRMED, ['gateway']],
  paymentFailed: [[OrderState.PENDING_PAYMENT], OrderState.PAYMENT_FAILED, ['gateway']],
  retryPayment: [[OrderState.PAYMENT_FAILED], OrderState.PENDING_PAYMENT, ['visitor']],
  expire: [[OrderState.PENDING_PAYMENT, OrderState.PAYMENT_FAILED], OrderState.EXPIRED, ['scheduler']],
  expireCart: [[OrderState.DRAFT], OrderState.EXPIRED, ['scheduler']],
  refund: [[OrderState.CONFIRMED], OrderState.REFUNDED, ['admin']],
};

function fakeEm() {
  const persisted: unknown[] = [];
  return { em: { persist: (e: unknown) => persisted.push(e) } as unknown as EntityManager, persisted };
}

describe('order state machine', () => {
  it('is the contract table, event by event', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [event, [from, to, actors]] of Object.entries(EXPECTED)) {
      const def: TransitionDef = ORDER_TRANSITIONS[event as keyof typeof ORDER_TRANSITIONS];
      expect({ event, from: [...def.from].sort(), to: def.to, actors: [...def.actors].sort() }).toEqual({
        event,
        from: [...from].sort(),
        to,
        actors: [...actors].sort(),
      });
    }
  });

  it('reaches every state from DRAFT and rejects a table with an unreachable state', () => {
    expect(() => validateTransitions()).not.toThrow();
    const { refund: _dropped, ...withoutRefund } = ORDER_TRANSITIONS;
    expect(() => validateTransitions(withoutRefund)).toThrow(/unreachable order states: REFUNDED/);
  });

  it('walks every state x event x actor: allowed pairs move as the table says, every other pair is a no-op refusal', () => {
    let allowed = 0;
    for (const state of STATES) {
      for (const event of ORDER_EVENTS) {
        for (const kind of ACTORS) {
          const order = new Order('00000000-0000-7000-8000-000000000001', 'EUR', 'hash', new Date(0));
          order.state = state;
          const before = { ...order };
          const { em, persisted } = fakeEm();
          const expected = EXPECTED[event][0].includes(state) && EXPECTED[event][2].includes(kind) ? EXPECTED[event][1] : null;
          expect(nextState(state, event, kind)).toBe(expected);
          const result = applyTransition(em, order, event, actorOf(kind), new Date(1000));
          if (expected) {
            allowed++;
            expect(result.ok).toBe(true);
            expect(order.state).toBe(expected);
            expect(persisted).toHaveLength(1);
            expect(persisted[0]).toMatchObject({ fromState: state, toState: expected, action: `order.${event}` });
          } else {
            expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'INVALID_TRANSITION' })] });
            expect({ ...order }).toEqual(before);
            expect(persisted).toHaveLength(0);
          }
        }
      }
    }
    expect(allowed).toBe(10);
  });

  it('lets no actor but the gateway reach PAYMENT_AUTHORIZED or CONFIRMED', () => {
    for (const def of Object.values(ORDER_TRANSITIONS) as TransitionDef[]) {
      if (def.to === OrderState.PAYMENT_AUTHORIZED || def.to === OrderState.CONFIRMED) expect(def.actors).toEqual(['gateway']);
    }
  });
});
