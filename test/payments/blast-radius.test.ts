import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, pendingOrder, setDetails } from '../support/flows';
import { confirmedOrder, declined, orderState, paid, refundOrder } from './support';

let t: TestAegis;
const poisoned = new Set<string>();

beforeAll(async () => {
  t = await startTestAegis({
    faults: {
      afterInboxRecorded: (eventId) => {
        if (poisoned.has(eventId)) throw new Error('poisoned event');
      },
    },
  });
});
afterAll(() => t.close());

describe("one order's failure leaves the other orders' flows working", () => {
  it('a gateway error at one checkout does not touch a concurrent checkout', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'BLAST', 500);
    const carts = [await createCart(t, siteId), await createCart(t, siteId)];
    for (const c of carts) {
      await addToCart(t, c.cartToken, siteId, p, 1);
      await setDetails(t, c.cartToken, siteId);
    }
    t.stripe.failNext({ method: 'POST', path: '/v1/payment_intents' }, { status: 500, count: 1 });
    const [first, second] = await Promise.all(carts.map((c) => checkout(t, c.cartToken, siteId)));
    const codes = [first, second].map((r) => r.data!.checkout.userErrors.map((e: any) => e.code).join());
    expect([...codes].sort()).toEqual(['', 'PAYMENT_GATEWAY_ERROR']);
    const [ok, hit] = codes[0] === '' ? [0, 1] : [1, 0];
    expect((await paid(t, [first, second][ok].data!.checkout.paymentSession!.id)).body.outcome).toBe('confirmed');
    expect(await orderState(t, carts[ok].orderId)).toBe('CONFIRMED');
    // The one the gateway failed stays PENDING_PAYMENT, and checkout again recovers it.
    expect(await orderState(t, carts[hit].orderId)).toBe('PENDING_PAYMENT');
    expect((await checkout(t, carts[hit].cartToken, siteId)).data!.checkout.paymentSession).not.toBeNull();
  });

  it('a poisoned event keeps failing (500, so the gateway retries) while other events are applied', async () => {
    const victim = await pendingOrder(t);
    const bystander = await pendingOrder(t, victim.siteId);
    const poison = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(victim.intentId));
    poisoned.add(poison.id);
    const [p1, ok, p2] = await Promise.all([t.webhook(poison), paid(t, bystander.intentId), t.webhook(poison)]);
    expect([p1.status, p2.status]).toEqual([500, 500]);
    expect(ok.body.outcome).toBe('confirmed');
    expect(await orderState(t, victim.orderId)).toBe('PENDING_PAYMENT');
    expect(await orderState(t, bystander.orderId)).toBe('CONFIRMED');

    // Once the fault is gone the gateway's next delivery completes the victim too.
    poisoned.delete(poison.id);
    expect((await t.webhook(poison)).body.outcome).toBe('confirmed');
  });

  it('an event with garbage metadata is answered and changes nothing anywhere', async () => {
    const bystander = await pendingOrder(t);
    const junk = {
      ...t.stripe.succeed(bystander.intentId),
      id: 'pi_unknown',
      metadata: { site_id: 'not-a-uuid', order_id: "'; drop table orders; --", attempt_id: 'x' },
    };
    expect((await t.webhook(t.stripe.event('payment_intent.succeeded', junk))).body.outcome).toBe('unmatched');
    expect(await orderState(t, bystander.orderId)).toBe('PENDING_PAYMENT');
    expect((await paid(t, bystander.intentId)).body.outcome).toBe('confirmed');
  });

  it('a declined payment and a refused refund stay with their own order', async () => {
    const declinedOrder = await pendingOrder(t);
    const sibling = await pendingOrder(t, declinedOrder.siteId);
    await declined(t, declinedOrder.intentId);
    expect((await paid(t, sibling.intentId)).body.outcome).toBe('confirmed');
    expect((await getCart(t, sibling.cartToken, sibling.siteId)).data!.cart).toMatchObject({
      state: 'CONFIRMED',
      failureReason: null,
      needsRefund: false,
    });

    const token = await t.superToken();
    const refused = await confirmedOrder(t, declinedOrder.siteId);
    t.stripe.failNext({ method: 'POST', path: '/v1/refunds' }, { status: 402, message: 'declined' });
    const [a, b] = await Promise.all([
      refundOrder(t, token, refused.siteId, refused.orderId),
      refundOrder(t, token, sibling.siteId, sibling.orderId),
    ]);
    const outcomes = [a, b].map((r) => r.data!.refundOrder.userErrors[0]?.code ?? r.data!.refundOrder.order!.state);
    expect(outcomes.sort()).toEqual(['PAYMENT_GATEWAY_ERROR', 'REFUNDED']);
    expect(await orderState(t, declinedOrder.orderId)).toBe('PAYMENT_FAILED');
  });
});
