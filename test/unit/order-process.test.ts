import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Actor, ActorKind } from '../../src/domain/actor';
import { NONE, validateTable } from '../../src/domain/machine';
import { ATTEMPT_TABLE, mayStillBePaid, validateAttemptProcess } from '../../src/domain/order/attempt-process';
import { describeOrderProcess } from '../../src/domain/order/describe';
import type { OrderFacts } from '../../src/domain/order/facts';
import * as guards from '../../src/domain/order/guards';
import {
  DECIDED_TWICE,
  ORDER_EVENTS,
  ORDER_TABLE,
  RESUMABLE_STATES,
  validateOrderProcess,
  type OrderEvent,
} from '../../src/domain/order/process';
import { decideOrder, moveAttempt } from '../../src/domain/order/runner/moves';
import { Order, OrderState, PaymentAttempt, PaymentAttemptStatus, Role } from '../../src/entities';

/** The domain tier: the order process through the pure `decide`, without a database. */
const { DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED } = OrderState;
const STATES = [NONE, ...Object.values(OrderState)] as const;
const ACTORS: ActorKind[] = ['visitor', 'customer', 'admin', 'gateway', 'scheduler', 'ai', 'system'];
const SITE = '0190c0de-0000-7000-8000-000000000001';
const T0 = new Date('2026-12-01T10:00:00Z');
const NOW = new Date('2026-12-01T12:00:00Z');
const ADDRESS = { name: 'A', line1: '1 St', city: 'Town', postalCode: '1000', country: 'DE' };

function actorOf(kind: ActorKind): Actor {
  switch (kind) {
    case 'visitor':
      return { kind, cartTokenHash: 'h'.repeat(64) };
    case 'admin':
      return { kind, adminId: 'a', email: 'a@x.io', role: Role.SUPER_ADMIN, siteIds: [] };
    case 'gateway':
      return { kind, provider: 'test' };
    case 'system':
      return { kind, name: 'test' };
    case 'customer':
      return { kind, customerId: 'c', siteId: SITE, email: 'c@x.io' };
    default:
      return { kind };
  }
}

/** Facts under which every guard of every move row holds (the refusal row's `recoveryWindowClosed` does not). */
function happyFacts(state: OrderState | typeof NONE): OrderFacts {
  const order = state === NONE ? null : new Order(SITE, 'EUR', 'hash', T0);
  const attempt = new PaymentAttempt(SITE, order?.id ?? SITE, 'test', 1000, 'EUR', T0);
  if (order) {
    order.state = state as OrderState;
    order.lineCount = 1;
    order.totalMinor = 1000;
    order.email = 'a@b.example';
    order.shippingAddress = ADDRESS;
    order.billingAddress = ADDRESS;
    order.currentAttemptId = attempt.id;
    order.recoveryDeadline = new Date(NOW.getTime() + 3600_000);
  }
  return {
    now: NOW,
    order,
    current: attempt,
    site: { currency: 'EUR' },
    captured: [attempt],
    due: true,
    untouchedSince: NOW,
    payment: {
      attempt,
      intent: {
        id: 'pi_1',
        amountMinor: 1000,
        amountReceivedMinor: 1000,
        currency: 'EUR',
        siteId: SITE,
        orderId: order?.id ?? null,
        attemptId: attempt.id,
      },
      misplaced: false,
      refund: { capturedMinor: 1000, refundedMinor: 1000 },
    },
    outcomes: {},
  };
}

/** One change of the facts per guard that turns it over (holding <-> failing). */
const FLIP: Record<string, (f: OrderFacts) => void> = {
  siteKnown: (f) => (f.site = null),
  isGuestCart: (f) => (f.order!.customerId = 'c'),
  hasLines: (f) => (f.order!.lineCount = 0),
  hasCheckoutDetails: (f) => (f.order!.email = null),
  stockReserved: (f) => (f.outcomes.stock = { short: [{ productId: 'p', available: 2, wanted: 3 }] }),
  withinRecoveryWindow: (f) => (f.order!.recoveryDeadline = new Date(NOW.getTime() - 1)),
  recoveryWindowClosed: (f) => (f.order!.recoveryDeadline = new Date(NOW.getTime() - 1)),
  hasCapturedMoney: (f) => (f.captured = []),
  gatewayRefunded: (f) => (f.outcomes.refund = { refused: 'card_declined', left: 0, refunded: [] }),
  nothingLeftCaptured: (f) => (f.outcomes.refund = { refused: null, left: 1, refunded: [] }),
  isDue: (f) => (f.due = false),
  intentCancelled: (f) => (f.outcomes.cancel = { attemptId: f.current!.id, live: true, cancelled: false }),
  sameAttemptAsCancelled: (f) => (f.outcomes.cancel = { attemptId: 'another-attempt', live: false, cancelled: false }),
  cartUntouched: (f) => (f.untouchedSince = new Date(T0.getTime() - 1)),
  intentOfThisSite: (f) => (f.payment!.misplaced = true),
  amountMatches: (f) => (f.payment!.intent.amountMinor = 999),
  isCurrentAttempt: (f) => (f.order!.currentAttemptId = 'another-attempt'),
  notCancelledByAegis: (f) => (f.payment!.attempt.cancelRequestedAt = NOW),
  refundedInFull: (f) => (f.payment!.refund = { capturedMinor: 1000, refundedMinor: 400 }),
  nothingElseCaptured: (f) => (f.captured = [...f.captured!, new PaymentAttempt(SITE, SITE, 'test', 50, 'EUR', T0)]),
};

/**
 * The contract's process, written out by hand: per event, its rows in order as [from, to | refusal code, actors,
 * guards]. `decide` must agree with a plain reading of this, for every state x event x actor x guard outcome.
 */
type Spec = [readonly (OrderState | typeof NONE)[], OrderState | 'SAME' | { refuse: string }, ActorKind[], string[]];
const ANY = [DRAFT, PENDING_PAYMENT, PAYMENT_AUTHORIZED, CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED];
const EXPECTED: Record<OrderEvent, Spec[]> = {
  createCart: [[[NONE], DRAFT, ['visitor', 'customer'], ['siteKnown']]],
  editCart: [[[DRAFT], 'SAME', ['visitor', 'customer'], []]],
  mergeCart: [[[DRAFT], EXPIRED, ['customer'], ['isGuestCart']]],
  adoptCart: [[[DRAFT], 'SAME', ['customer'], ['isGuestCart']]],
  checkout: [
    [[DRAFT], PENDING_PAYMENT, ['visitor', 'customer'], ['hasLines', 'hasCheckoutDetails', 'stockReserved']],
    [[PENDING_PAYMENT], 'SAME', ['visitor', 'customer'], []],
  ],
  paymentAuthorized: [[[PENDING_PAYMENT], PAYMENT_AUTHORIZED, ['gateway'], ['intentOfThisSite', 'amountMatches', 'isCurrentAttempt']]],
  confirm: [[[PAYMENT_AUTHORIZED], CONFIRMED, ['gateway'], []]],
  paymentFailed: [[[PENDING_PAYMENT], PAYMENT_FAILED, ['gateway'], ['intentOfThisSite', 'isCurrentAttempt']]],
  paymentCanceled: [[[PENDING_PAYMENT], PAYMENT_FAILED, ['gateway'], ['intentOfThisSite', 'isCurrentAttempt', 'notCancelledByAegis']]],
  retryPayment: [
    [[PAYMENT_FAILED], PENDING_PAYMENT, ['visitor', 'customer'], ['withinRecoveryWindow']],
    [[EXPIRED], { refuse: 'RECOVERY_WINDOW_EXPIRED' }, ['visitor', 'customer'], ['recoveryWindowClosed']],
  ],
  expire: [
    [[PENDING_PAYMENT], EXPIRED, ['scheduler'], ['isDue', 'intentCancelled', 'sameAttemptAsCancelled']],
    [[PAYMENT_FAILED], EXPIRED, ['scheduler'], ['isDue']],
  ],
  expireCart: [[[DRAFT], EXPIRED, ['scheduler'], ['cartUntouched']]],
  refund: [
    [[CONFIRMED], REFUNDED, ['admin'], ['hasCapturedMoney', 'gatewayRefunded', 'nothingLeftCaptured']],
    [ANY, 'SAME', ['admin'], ['hasCapturedMoney', 'gatewayRefunded']],
  ],
  refundedAtGateway: [
    [[CONFIRMED], REFUNDED, ['gateway'], ['refundedInFull', 'nothingElseCaptured']],
    [ANY, 'SAME', ['gateway'], []],
  ],
  disputeChanged: [[ANY, 'SAME', ['gateway'], []]],
};

const CODES: Record<string, string> = {
  siteKnown: 'NOT_FOUND',
  hasLines: 'EMPTY_CART',
  hasCheckoutDetails: 'CHECKOUT_DETAILS_MISSING',
  stockReserved: 'INSUFFICIENT_STOCK',
  withinRecoveryWindow: 'RECOVERY_WINDOW_EXPIRED',
  hasCapturedMoney: 'NOTHING_TO_REFUND',
  gatewayRefunded: 'PAYMENT_GATEWAY_ERROR',
  intentCancelled: 'PAYMENT_GATEWAY_ERROR',
};
const codeOf = (guard: string) => CODES[guard] ?? 'INVALID_TRANSITION';

/** The plain reading: the first row for the state and actor whose guards hold; else the first failing guard of the first such row. */
function expected(event: OrderEvent, state: OrderState | typeof NONE, actor: ActorKind, holds: (g: string) => boolean) {
  const rows = EXPECTED[event].filter(([from, , actors]) => from.includes(state) && actors.includes(actor));
  let failure: string | null = null;
  for (const [, to, , names] of rows) {
    const failing = names.find((n) => !holds(n));
    if (typeof to === 'object') {
      if (!failing) return { refused: to.refuse };
      continue;
    }
    if (!failing) return { to: to === 'SAME' ? state : to };
    failure ??= failing;
  }
  return { refused: failure ? codeOf(failure) : 'INVALID_TRANSITION' };
}

describe('the order process (decide, no database)', () => {
  it('is the contract, row by row', () => {
    expect(Object.keys(ORDER_TABLE).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const event of ORDER_EVENTS) {
      const rows = ORDER_TABLE[event].map((r) => [
        [...r.from].sort(),
        'refuse' in r ? { refuse: r.refuse.code } : r.to,
        [...r.actors].sort(),
        (r.guards ?? []).map((g) => g.name),
      ]);
      expect({ event, rows }).toEqual({ event, rows: EXPECTED[event].map(([f, t, a, g]) => [[...f].sort(), t, [...a].sort(), g]) });
    }
  });

  it('walks every state x event x actor x guard outcome: decide answers as the table reads', () => {
    let walked = 0;
    for (const state of STATES) {
      for (const event of ORDER_EVENTS) {
        for (const kind of ACTORS) {
          const named = [...new Set(EXPECTED[event].flatMap(([, , , g]) => g))];
          // Every guard holding as in the happy facts, then each guard turned over on its own.
          for (const flipped of [null, ...named]) {
            const facts = happyFacts(state);
            // Before a cart exists only the site can be turned over (the other guards read the order).
            if (flipped && state === NONE && flipped !== 'siteKnown') continue;
            if (flipped) FLIP[flipped](facts);
            const holds = (g: string) => {
              const guard = (guards as Record<string, unknown>)[g] as { holds: (f: OrderFacts) => boolean };
              return guard.holds(facts);
            };
            const before = facts.order && { ...facts.order };
            const decision = decideOrder(facts.order, facts, event, actorOf(kind));
            const want = expected(event, state, kind, holds);
            if ('to' in want)
              expect({ event, state, kind, flipped, to: decision.ok && decision.to }).toEqual({ event, state, kind, flipped, to: want.to });
            else
              expect({ event, state, kind, flipped, code: !decision.ok && decision.errors[0].code }).toEqual({
                event,
                state,
                kind,
                flipped,
                code: want.refused,
              });
            // decide is pure: the order is as it was.
            if (before) expect({ ...facts.order }).toEqual(before);
            walked++;
          }
        }
      }
    }
    expect(walked).toBeGreaterThan(STATES.length * ORDER_EVENTS.length * ACTORS.length);
  });

  it('reads as the contract in the cases that matter most', () => {
    const decide = (state: OrderState, event: OrderEvent, kind: ActorKind, change?: (f: OrderFacts) => void) => {
      const f = happyFacts(state);
      change?.(f);
      return decideOrder(f.order, f, event, actorOf(kind));
    };
    expect(decide(PENDING_PAYMENT, 'checkout', 'visitor')).toMatchObject({ ok: true, to: PENDING_PAYMENT, selfLoop: true });
    expect(decide(PENDING_PAYMENT, 'checkout', 'customer')).toMatchObject({ ok: true, to: PENDING_PAYMENT, selfLoop: true });
    // At login: a guest's DRAFT cart is merged (EXPIRED) or adopted (same); a cart at checkout, or a customer's, never.
    expect(decide(DRAFT, 'mergeCart', 'customer')).toMatchObject({ ok: true, to: EXPIRED, selfLoop: false });
    expect(decide(DRAFT, 'adoptCart', 'customer')).toMatchObject({ ok: true, to: DRAFT, selfLoop: true });
    expect(decide(PENDING_PAYMENT, 'mergeCart', 'customer')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_TRANSITION' }] });
    expect(decide(PENDING_PAYMENT, 'adoptCart', 'customer')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_TRANSITION' }] });
    expect(decide(DRAFT, 'mergeCart', 'customer', FLIP.isGuestCart)).toMatchObject({ ok: false });
    expect(decide(DRAFT, 'mergeCart', 'visitor')).toMatchObject({ ok: false });
    expect(decide(CONFIRMED, 'refund', 'admin')).toMatchObject({ ok: true, to: REFUNDED, selfLoop: false });
    // Money left after a concurrent confirmation: the refund row falls through to "same".
    expect(decide(CONFIRMED, 'refund', 'admin', FLIP.nothingLeftCaptured)).toMatchObject({ ok: true, to: CONFIRMED, selfLoop: true });
    expect(decide(EXPIRED, 'retryPayment', 'visitor', FLIP.recoveryWindowClosed)).toMatchObject({
      ok: false,
      errors: [{ code: 'RECOVERY_WINDOW_EXPIRED' }],
    });
    expect(decide(CONFIRMED, 'checkout', 'visitor')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_TRANSITION', message: 'Order is CONFIRMED: checkout is not possible' }],
    });
    expect(decide(PAYMENT_FAILED, 'retryPayment', 'visitor', FLIP.withinRecoveryWindow)).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringMatching(/^The recovery window closed at /) }],
    });
    // The amount asked matches, the amount received does not: nothing is authorized.
    expect(decide(PENDING_PAYMENT, 'paymentAuthorized', 'gateway', (f) => (f.payment!.intent.amountReceivedMinor = 999))).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringMatching(/received 999 EUR, expected 1000 EUR/) }],
    });
    expect(decide(PENDING_PAYMENT, 'paymentAuthorized', 'gateway', (f) => (f.payment!.intent.currency = 'USD'))).toMatchObject({
      ok: false,
    });
    // A partial refund at the gateway is recorded; the order stays CONFIRMED.
    expect(decide(CONFIRMED, 'refundedAtGateway', 'gateway', FLIP.refundedInFull)).toMatchObject({
      ok: true,
      to: CONFIRMED,
      selfLoop: true,
    });
    expect(decide(CONFIRMED, 'refundedAtGateway', 'gateway')).toMatchObject({ ok: true, to: REFUNDED, selfLoop: false });
    // Aegis's own cancel coming back changes nothing.
    expect(decide(PENDING_PAYMENT, 'paymentCanceled', 'gateway', FLIP.notCancelledByAegis)).toMatchObject({ ok: false });
  });

  it('derives, once, which events call the gateway before their move and where a checkout resumes', () => {
    expect([...DECIDED_TWICE].sort()).toEqual(['expire', 'refund']);
    expect([...RESUMABLE_STATES]).toEqual([PENDING_PAYMENT]);
  });

  it('lets no actor but the gateway reach PAYMENT_AUTHORIZED or CONFIRMED', () => {
    for (const rows of Object.values(ORDER_TABLE)) {
      for (const r of rows)
        if (!('refuse' in r) && (r.to === PAYMENT_AUTHORIZED || r.to === CONFIRMED)) expect(r.actors).toEqual(['gateway']);
    }
  });

  it('reaches every state from a new cart, and refuses a table with an unreachable state or an unknown one', () => {
    expect(() => validateOrderProcess()).not.toThrow();
    const { refund: _dropped, refundedAtGateway: _alsoDropped, ...withoutRefund } = ORDER_TABLE;
    expect(() => validateTable('order', withoutRefund, Object.values(OrderState), NONE)).toThrow(/unreachable states REFUNDED/);
    const typo = { ...ORDER_TABLE, confirm: [{ from: [PAYMENT_AUTHORIZED], to: 'CONFIRMD', actors: ['gateway'] }] };
    expect(() => validateTable('order', typo as never, Object.values(OrderState), NONE)).toThrow(/names unknown state CONFIRMD/);
  });
});

describe('the guards, each holding and failing', () => {
  for (const [name, flip] of Object.entries(FLIP)) {
    it(name, () => {
      const guard = (guards as Record<string, unknown>)[name] as {
        name: string;
        holds: (f: OrderFacts) => boolean;
        refusal: (f: OrderFacts) => string;
      };
      expect(guard.name).toBe(name);
      const facts = happyFacts(PENDING_PAYMENT);
      const before = guard.holds(facts);
      flip(facts);
      expect(guard.holds(facts)).toBe(!before);
      expect(guard.refusal(facts)).toEqual(expect.any(String));
    });
  }

  it('are all of them', () => {
    const declared = (Object.values(guards) as unknown[]).filter(
      (g): g is { name: string } => typeof g === 'object' && g !== null && 'holds' in g,
    );
    expect(declared.map((g) => g.name).sort()).toEqual(Object.keys(FLIP).sort());
  });
});

describe('the payment attempt process', () => {
  const EXPECTED_ATTEMPT: Record<string, [string[], string, ActorKind[]]> = {
    open: [[NONE], 'PENDING', ['visitor', 'customer']],
    succeed: [['PENDING', 'FAILED', 'CANCELED'], 'SUCCEEDED', ['gateway']],
    fail: [['PENDING'], 'FAILED', ['gateway']],
    cancel: [['PENDING'], 'CANCELED', ['scheduler', 'gateway']],
  };

  it('walks every status x event x actor: moves as declared, every other pair changes nothing', () => {
    expect(() => validateAttemptProcess()).not.toThrow();
    expect(Object.keys(ATTEMPT_TABLE).sort()).toEqual(Object.keys(EXPECTED_ATTEMPT).sort());
    for (const status of Object.values(PaymentAttemptStatus)) {
      for (const event of Object.keys(EXPECTED_ATTEMPT) as (keyof typeof ATTEMPT_TABLE)[]) {
        for (const kind of ACTORS) {
          const attempt = new PaymentAttempt(SITE, SITE, 'test', 100, 'EUR', T0);
          attempt.status = status;
          const [from, to, actors] = EXPECTED_ATTEMPT[event];
          const moves = from.includes(status) && actors.includes(kind);
          const result = moveAttempt(attempt, event, actorOf(kind));
          expect({ status, event, kind, ok: result.ok, after: attempt.status }).toEqual({
            status,
            event,
            kind,
            ok: moves,
            after: moves ? to : status,
          });
        }
      }
    }
  });
  it('says which intents could still be paid (expiry cancels those): a pending or declined one, never a settled or cancelled one', () => {
    const paidLater = Object.fromEntries(Object.values(PaymentAttemptStatus).map((s) => [s, mayStillBePaid(s)]));
    expect(paidLater).toEqual({ PENDING: true, FAILED: true, SUCCEEDED: false, CANCELED: false });
  });
});

describe("the README's order table", () => {
  it('is the one generated from the process (npm run docs:states)', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = readme.match(/<!-- order-process:start -->\n([\s\S]*?)\n<!-- order-process:end -->/);
    expect(block?.[1]).toBe(describeOrderProcess());
  });
});
