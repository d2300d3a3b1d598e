import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createCart, getCart, pendingOrder } from '../support/flows';
import {
  attemptsOf,
  confirmedOrder,
  declined,
  failedOrder,
  orderState,
  paid,
  retryPayment,
  runExpiryJob,
  sql,
  transitionsOf,
} from './support';

const HOUR = 3600 * 1000;
const clock = new TestClock();
let t: TestAegis;

beforeAll(async () => {
  // No cron ticks: this file moves the clock and runs the expiry job itself.
  t = await startTestAegis({ clock, env: { EXPIRY_JOB_CRON: 'off', TOKEN_TTL_SECONDS: String(365 * 24 * 3600) } });
});
afterAll(() => t.close());

/** The PaymentIntent JSON as the gateway would report it once captured, even if the fake has since cancelled it. */
const capturedIntent = (intentId: string) => {
  const pi = structuredClone(t.stripe.paymentIntents.get(intentId)!);
  return { ...pi, status: 'succeeded' as const, amount_received: pi.amount, last_payment_error: null };
};

describe('payment failure', () => {
  it('moves PENDING_PAYMENT to PAYMENT_FAILED with the reason on the attempt, in the audit log and a failure record; the order is otherwise untouched', async () => {
    const o = await pendingOrder(t);
    const before = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    const r = await declined(t, o.intentId, 'Insufficient funds.');
    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'failed' } });

    const after = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(after.state).toBe('PAYMENT_FAILED');
    expect(after.failureReason).toBe('card_declined: generic_decline: Insufficient funds.');
    expect(new Date(after.recoveryDeadline!).getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    expect(after.paymentAttempts).toEqual([
      expect.objectContaining({ status: 'FAILED', failureReason: after.failureReason, needsRefund: false }),
    ]);
    // Lines, totals and details are exactly as before.
    for (const field of ['lines', 'totalMinor', 'currency', 'email'] as const) expect(after[field]).toEqual(before[field]);
    expect(after.history.at(-1)).toMatchObject({
      from: 'PENDING_PAYMENT',
      to: 'PAYMENT_FAILED',
      actor: 'gateway:stripe',
      reason: after.failureReason,
    });

    const [audit] = await sql(t.dbUrl, `select reason from audit_log where entity_id = $1 and to_state = 'PAYMENT_FAILED'`, [o.orderId]);
    expect(audit.reason).toBe(after.failureReason);
    const failures = await sql(t.dbUrl, `select kind, reason, intent_id from payment_failures where order_id = $1`, [o.orderId]);
    expect(failures).toEqual([{ kind: 'PAYMENT_FAILED', reason: after.failureReason, intent_id: o.intentId }]);
  });
});

describe('retryPayment', () => {
  it('within the window: PENDING_PAYMENT as a new attempt with a new key and a new PaymentIntent; the superseded intent is cancelled', async () => {
    const o = await failedOrder(t);
    clock.advance(23 * HOUR);
    const r = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
    expect(r.data!.retryPayment.userErrors).toEqual([]);
    const order = r.data!.retryPayment.order!;
    expect(order.state).toBe('PENDING_PAYMENT');
    expect(order.recoveryDeadline).toBeNull();
    const session = r.data!.retryPayment.paymentSession!;
    expect(session.id).not.toBe(o.intentId);

    const attempts = await attemptsOf(t, o.orderId);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ intent_id: o.intentId, status: 'FAILED' });
    expect(attempts[1]).toMatchObject({ intent_id: session.id, status: 'PENDING' });
    expect(attempts[1].idempotency_key).not.toBe(attempts[0].idempotency_key);
    const creates = t.stripe.requests.filter((q) => q.path === '/v1/payment_intents' && (q.params.metadata as any)?.order_id === o.orderId);
    expect(creates.map((q) => q.idempotencyKey)).toEqual([attempts[0].idempotency_key, attempts[1].idempotency_key]);
    expect(t.stripe.paymentIntents.get(o.intentId)!.status).toBe('canceled');
    expect(
      t.stripe.requests.some((q) => q.path === `/v1/payment_intents/${o.intentId}/cancel` && q.idempotencyKey && q.status === 200),
    ).toBe(true);

    // The new attempt completes the order.
    expect((await paid(t, session.id)).body.outcome).toBe('confirmed');
    expect(await transitionsOf(t, o.orderId)).toEqual([
      '->DRAFT',
      'DRAFT>PENDING_PAYMENT',
      'PENDING_PAYMENT>PAYMENT_FAILED',
      'PAYMENT_FAILED>PENDING_PAYMENT',
      'PENDING_PAYMENT>PAYMENT_AUTHORIZED',
      'PAYMENT_AUTHORIZED>CONFIRMED',
    ]);
  });

  it('past the deadline answers RECOVERY_WINDOW_EXPIRED and changes nothing', async () => {
    const o = await failedOrder(t);
    clock.advance(24 * HOUR);
    const before = await sql(t.dbUrl, `select o::text from orders o where id = $1`, [o.orderId]);
    const intents = t.stripe.paymentIntents.size;
    const r = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
    expect(r.data!.retryPayment).toMatchObject({ order: null, paymentSession: null, userErrors: [{ code: 'RECOVERY_WINDOW_EXPIRED' }] });
    expect(await sql(t.dbUrl, `select o::text from orders o where id = $1`, [o.orderId])).toEqual(before);
    expect(await attemptsOf(t, o.orderId)).toHaveLength(1);
    expect(t.stripe.paymentIntents.size).toBe(intents);
    expect(t.stripe.paymentIntents.get(o.intentId)!.status).not.toBe('canceled');
  });

  it("refuses another visitor's order as not found, and an order that is not PAYMENT_FAILED as INVALID_TRANSITION", async () => {
    const o = await failedOrder(t);
    const stranger = await createCart(t, o.siteId);
    const other = await retryPayment(t, stranger.cartToken, o.siteId, o.orderId);
    expect(other.data!.retryPayment.userErrors[0].code).toBe('NOT_FOUND');
    const pending = await pendingOrder(t);
    const wrong = await retryPayment(t, pending.cartToken, pending.siteId, pending.orderId);
    expect(wrong.data!.retryPayment.userErrors[0].code).toBe('INVALID_TRANSITION');
    expect(await orderState(t, o.orderId)).toBe('PAYMENT_FAILED');
    expect(await attemptsOf(t, pending.orderId)).toHaveLength(1);
  });
});

describe('expiry job', () => {
  it('expires PAYMENT_FAILED past its deadline and PENDING_PAYMENT after 24 h (cancelling its intent), and nothing younger', async () => {
    const oldFailed = await failedOrder(t);
    const oldPending = await pendingOrder(t);
    clock.advance(12 * HOUR);
    const youngFailed = await failedOrder(t);
    const youngPending = await pendingOrder(t);
    clock.advance(12 * HOUR);

    expect(await runExpiryJob(t)).toBe('completed');
    expect(await orderState(t, oldFailed.orderId)).toBe('EXPIRED');
    expect(await orderState(t, oldPending.orderId)).toBe('EXPIRED');
    expect(await orderState(t, youngFailed.orderId)).toBe('PAYMENT_FAILED');
    expect(await orderState(t, youngPending.orderId)).toBe('PENDING_PAYMENT');
    expect(t.stripe.paymentIntents.get(oldPending.intentId)!.status).toBe('canceled');
    expect(t.stripe.paymentIntents.get(youngPending.intentId)!.status).toBe('requires_payment_method');
    expect((await attemptsOf(t, oldPending.orderId))[0].status).toBe('CANCELED');
    const [expiry] = await sql(t.dbUrl, `select actor, from_state from audit_log where entity_id = $1 and to_state = 'EXPIRED'`, [
      oldPending.orderId,
    ]);
    expect(expiry).toEqual({ actor: 'system:scheduler', from_state: 'PENDING_PAYMENT' });

    // The visitor is told the window closed; a second run changes nothing more.
    const late = await retryPayment(t, oldFailed.cartToken, oldFailed.siteId, oldFailed.orderId);
    expect(late.data!.retryPayment.userErrors[0].code).toBe('RECOVERY_WINDOW_EXPIRED');
    expect(await runExpiryJob(t)).toBe('completed');
    expect(
      await sql(t.dbUrl, `select count(*)::int as n from audit_log where entity_id = $1 and to_state = 'EXPIRED'`, [oldPending.orderId]),
    ).toEqual([{ n: 1 }]);
  });

  it('keeps a pending order whose intent the gateway will not cancel (it was paid), so its late webhook still confirms it', async () => {
    const o = await pendingOrder(t);
    const event = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
    clock.advance(25 * HOUR);
    expect(await runExpiryJob(t)).toBe('completed');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect(await sql(t.dbUrl, `select kind from payment_failures where order_id = $1`, [o.orderId])).toEqual([{ kind: 'CANCEL_REFUSED' }]);
    expect((await t.webhook(event)).body.outcome).toBe('confirmed');
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
  });
});

describe('late, duplicate and out-of-order events', () => {
  it('a succeeded event for a superseded attempt changes no state and flags that attempt and the order needsRefund', async () => {
    const o = await failedOrder(t);
    const retried = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
    expect(retried.data!.retryPayment.order!.state).toBe('PENDING_PAYMENT');
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', capturedIntent(o.intentId)));
    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'unmatched' } });
    const cart = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(cart.state).toBe('PENDING_PAYMENT');
    expect(cart.needsRefund).toBe(true);
    expect(cart.paymentAttempts.map((a: any) => [a.status, a.needsRefund])).toEqual([
      ['SUCCEEDED', true],
      ['PENDING', false],
    ]);
    const [log] = await sql(t.dbUrl, `select action, reason from audit_log where entity_id = $1`, [(await attemptsOf(t, o.orderId))[0].id]);
    expect(log.action).toBe('payment.needsRefund');
  });

  it('a payment_failed after CONFIRMED changes nothing and flags nothing', async () => {
    const o = await confirmedOrder(t);
    const r = await t.webhook(
      t.stripe.event('payment_intent.payment_failed', {
        ...capturedIntent(o.intentId),
        last_payment_error: { code: 'card_declined', message: 'late' },
      }),
    );
    expect(r.body.outcome).toBe('unmatched');
    const cart = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(cart.state).toBe('CONFIRMED');
    expect(cart.needsRefund).toBe(false);
    expect(cart.paymentAttempts[0].status).toBe('SUCCEEDED');
  });

  it('a succeeded event after EXPIRED keeps the order EXPIRED and flags the money for refund', async () => {
    const o = await failedOrder(t);
    clock.advance(25 * HOUR);
    expect(await runExpiryJob(t)).toBe('completed');
    expect(await orderState(t, o.orderId)).toBe('EXPIRED');
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', capturedIntent(o.intentId)));
    expect(r.body.outcome).toBe('unmatched');
    const cart = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(cart.state).toBe('EXPIRED');
    expect(cart.needsRefund).toBe(true);
  });

  it('a redelivered decline and a decline arriving after the success change nothing', async () => {
    const o = await pendingOrder(t);
    const decline = t.stripe.event('payment_intent.payment_failed', t.stripe.fail(o.intentId));
    const success = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
    expect((await t.webhook(success)).body.outcome).toBe('confirmed');
    expect((await t.webhook(decline)).body.outcome).toBe('unmatched');
    expect((await t.webhook(decline)).body.outcome).toBe('duplicate');
    expect((await t.webhook(success)).body.outcome).toBe('duplicate');
    expect(await transitionsOf(t, o.orderId)).toEqual([
      '->DRAFT',
      'DRAFT>PENDING_PAYMENT',
      'PENDING_PAYMENT>PAYMENT_AUTHORIZED',
      'PAYMENT_AUTHORIZED>CONFIRMED',
    ]);
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ status: 'SUCCEEDED', needs_refund: false });
  });
});
