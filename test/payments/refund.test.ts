import { AdminLoginDocument, CreateSiteAdminDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createSite, getCart } from '../support/flows';
import { attemptsOf, confirmedOrder, failedOrder, orderState, refundOrder, retryPayment, sql, transitionsOf } from './support';

let t: TestAegis;
let token: string;

beforeAll(async () => {
  t = await startTestAegis();
  token = await t.superToken();
});
afterAll(() => t.close());

const refundsOf = (intentId: string) => [...t.stripe.refunds.values()].filter((r) => r.payment_intent === intentId);
const refundRequests = () => t.stripe.requests.filter((r) => r.path === '/v1/refunds');

/** Money captured on a superseded attempt: PENDING_PAYMENT (after a retry) with that attempt flagged needsRefund. */
async function flaggedPendingOrder(siteId?: string) {
  const o = await failedOrder(t, siteId);
  const retried = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
  // The sandbox cancelled the superseded intent; the gateway capturing it after all is simulated on its record.
  const record = t.stripe.paymentIntents.get(o.intentId)!;
  Object.assign(record, { status: 'succeeded', amount_received: record.amount, latest_charge: 'ch_late' });
  expect((await t.webhook(t.stripe.event('payment_intent.succeeded', structuredClone(record)))).body.outcome).toBe('unmatched');
  return { ...o, newIntentId: retried.data!.retryPayment.paymentSession!.id };
}

async function siteAdminToken(email: string, siteIds: string[]): Promise<string> {
  const created = await t.op(CreateSiteAdminDocument, { input: { email, password: 'site-admin-password-1', siteIds } }, { token });
  expect(created.data!.createSiteAdmin.userErrors).toEqual([]);
  const login = await t.op(AdminLoginDocument, { email, password: 'site-admin-password-1' });
  return login.data!.adminLogin.token!;
}

describe('refundOrder', () => {
  it('CONFIRMED -> REFUNDED: the captured attempt refunded through the gateway with its own key, audited with the reason', async () => {
    const o = await confirmedOrder(t);
    const r = await refundOrder(t, token, o.siteId, o.orderId, '  damaged in transit ');
    expect(r.data!.refundOrder.userErrors).toEqual([]);
    expect(r.data!.refundOrder.order!.state).toBe('REFUNDED');
    const [attempt] = await attemptsOf(t, o.orderId);
    expect(attempt).toMatchObject({ refunded: true, needs_refund: false });
    expect(refundsOf(o.intentId)).toEqual([
      expect.objectContaining({ amount: o.totalMinor, metadata: expect.objectContaining({ attempt_id: attempt.id }) }),
    ]);
    expect(
      refundRequests()
        .filter((q) => (q.params as any).payment_intent === o.intentId)
        .map((q) => q.idempotencyKey),
    ).toEqual([`aegis-refund-${attempt.id}`]);
    const cart = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(cart.history.at(-1)).toMatchObject({
      from: 'CONFIRMED',
      to: 'REFUNDED',
      actor: 'admin:root@aegis.test',
      reason: 'damaged in transit',
    });
    const logged = await sql(t.dbUrl, `select action, reason from audit_log where entity_id = $1`, [attempt.id]);
    expect(logged).toEqual([{ action: 'payment.refunded', reason: 'damaged in transit' }]);

    const again = await refundOrder(t, token, o.siteId, o.orderId);
    expect(again.data!.refundOrder.userErrors[0].code).toBe('NOTHING_TO_REFUND');
    expect(refundsOf(o.intentId)).toHaveLength(1);
  });

  it('refunds every captured attempt of a CONFIRMED order, each with its own key', async () => {
    const o = await flaggedPendingOrder();
    expect((await t.webhook(t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.newIntentId)))).body.outcome).toBe('confirmed');
    const r = await refundOrder(t, token, o.siteId, o.orderId);
    expect(r.data!.refundOrder.order).toMatchObject({ state: 'REFUNDED', needsRefund: false });
    const attempts = await attemptsOf(t, o.orderId);
    expect(attempts.map((a) => a.refunded)).toEqual([true, true]);
    expect(refundsOf(o.intentId)).toHaveLength(1);
    expect(refundsOf(o.newIntentId)).toHaveLength(1);
    const keys = refundRequests()
      .filter((q) => [o.intentId, o.newIntentId].includes((q.params as any).payment_intent))
      .map((q) => q.idempotencyKey);
    expect(keys.sort()).toEqual(attempts.map((a) => `aegis-refund-${a.id}`).sort());
  });

  it('in another state, refunds the flagged attempts, clears the flags and keeps the state (a site admin of that site may)', async () => {
    const siteId = await createSite(t, 'Refunds');
    const admin = await siteAdminToken('refunder@shop.example', [siteId]);
    const o = await flaggedPendingOrder(siteId);
    const r = await refundOrder(t, admin, o.siteId, o.orderId, 'paid twice');
    expect(r.data!.refundOrder.userErrors).toEqual([]);
    expect(r.data!.refundOrder.order).toMatchObject({ state: 'PENDING_PAYMENT', needsRefund: false });
    expect((await attemptsOf(t, o.orderId)).map((a) => [a.refunded, a.needs_refund])).toEqual([
      [true, false],
      [false, false],
    ]);
    expect(refundsOf(o.intentId)).toHaveLength(1);
    expect(await transitionsOf(t, o.orderId)).not.toContain('PENDING_PAYMENT>REFUNDED');
    expect(await sql(t.dbUrl, `select reason from audit_log where entity_id = $1 and action = 'order.refundFlagged'`, [o.orderId])).toEqual(
      [{ reason: 'paid twice' }],
    );

    const otherSite = await createSite(t, 'Elsewhere');
    const outsider = await siteAdminToken('outsider@shop.example', [otherSite]);
    const denied = await refundOrder(t, outsider, o.siteId, o.orderId);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('answers NOTHING_TO_REFUND when no money was captured, and VALIDATION without a reason', async () => {
    const o = await failedOrder(t);
    const r = await refundOrder(t, token, o.siteId, o.orderId);
    expect(r.data!.refundOrder).toMatchObject({ order: null, userErrors: [{ code: 'NOTHING_TO_REFUND' }] });
    const blank = await refundOrder(t, token, o.siteId, o.orderId, '   ');
    expect(blank.data!.refundOrder.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['reason'] })]);
    expect(await orderState(t, o.orderId)).toBe('PAYMENT_FAILED');
  });

  it('a gateway refusal answers PAYMENT_GATEWAY_ERROR with the reason and changes nothing; a later call refunds once', async () => {
    const o = await confirmedOrder(t);
    t.stripe.failNext(
      { method: 'POST', path: '/v1/refunds' },
      { status: 402, code: 'card_declined', message: 'Refund declined by issuer' },
    );
    const r = await refundOrder(t, token, o.siteId, o.orderId);
    expect(r.data!.refundOrder.order).toBeNull();
    expect(r.data!.refundOrder.userErrors[0]).toMatchObject({
      code: 'PAYMENT_GATEWAY_ERROR',
      message: expect.stringContaining('Refund declined by issuer'),
    });
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ refunded: false });
    expect(await sql(t.dbUrl, `select kind from payment_failures where order_id = $1`, [o.orderId])).toEqual([{ kind: 'REFUND_REFUSED' }]);

    const retried = await refundOrder(t, token, o.siteId, o.orderId);
    expect(retried.data!.refundOrder.order!.state).toBe('REFUNDED');
    expect(refundsOf(o.intentId)).toHaveLength(1);
  });
});
