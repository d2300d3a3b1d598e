import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, setDetails } from '../support/flows';
import { refundOrder, retryPayment } from '../payments/support';

/**
 * Paying as a storefront does: checkout, then confirm the intent at the Stripe sandbox with the publishable key
 * and the session's client secret. The sandbox delivers its signed events to the server's webhook route.
 */
let t: TestAegis;

beforeAll(async () => {
  t = await startTestAegis({ deliverWebhooks: true });
});
afterAll(() => t.close());

interface Session {
  id: string;
  clientSecret: string;
}

async function checkedOut(): Promise<{ siteId: string; cartToken: string; orderId: string; session: Session }> {
  const siteId = await createSite(t, 'Sandbox Shop');
  const product = await createProduct(t, siteId, `SKU-${Math.random().toString(36).slice(2, 8)}`, 1500);
  const { cartToken, orderId } = await createCart(t, siteId);
  await addToCart(t, cartToken, siteId, product, 2);
  await setDetails(t, cartToken, siteId);
  const r = await checkout(t, cartToken, siteId);
  expect(r.data!.checkout.userErrors).toEqual([]);
  return { siteId, cartToken, orderId, session: r.data!.checkout.paymentSession! };
}

/** POST /v1/payment_intents/:id/confirm over plain HTTP, as Stripe.js sends it from the browser. */
async function confirmInBrowser(session: Session, method: { payment_method: string } | { card: string }) {
  const form = new URLSearchParams({ client_secret: session.clientSecret });
  if ('payment_method' in method) form.set('payment_method', method.payment_method);
  else {
    form.set('payment_method_data[type]', 'card');
    form.set('payment_method_data[card][number]', method.card);
  }
  const res = await fetch(`${t.stripe.url}/v1/payment_intents/${session.id}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer pk_test_aegis', 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The order once it reached `state`, polling as a storefront's order page would; at most 5 s. */
async function orderIn(o: { siteId: string; cartToken: string }, state: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const order = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    if (order.state === state) return order;
    if (Date.now() > until) throw new Error(`order still ${order.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The sandbox's delivery of the event of `type` about the intent. */
async function deliveryOf(type: string, intentId: string) {
  await t.stripe.settled();
  const event = t.stripe.events.find((e) => {
    const object = e.data.object as { id: string; payment_intent?: string };
    return e.type === type && (object.id === intentId || object.payment_intent === intentId);
  });
  return t.stripe.deliveries.find((d) => d.eventId === event?.id);
}

describe('paying at the Stripe sandbox', () => {
  it('checkout, confirm with pm_card_visa: the delivered payment_intent.succeeded confirms the order', async () => {
    const o = await checkedOut();

    const paid = await confirmInBrowser(o.session, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({ status: 200, body: { id: o.session.id, status: 'succeeded', amount_received: 3000 } });

    const order = await orderIn(o, 'CONFIRMED');
    expect(order.paymentAttempts).toEqual([expect.objectContaining({ status: 'SUCCEEDED', amountMinor: 3000 })]);
    expect(order.history.at(-1)).toMatchObject({ from: 'PAYMENT_AUTHORIZED', to: 'CONFIRMED', actor: 'gateway:stripe' });
    expect(await deliveryOf('payment_intent.succeeded', o.session.id)).toMatchObject({ attempts: 1, lastStatus: 200, delivered: true });
  });

  it('a declined card fails the order; retryPayment gives a new session that 4242... pays', async () => {
    const o = await checkedOut();

    const declined = await confirmInBrowser(o.session, { card: '4000000000000002' });
    expect(declined).toMatchObject({ status: 402, body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } } });
    const failed = await orderIn(o, 'PAYMENT_FAILED');
    expect(failed.failureReason).toContain('card_declined');

    const retried = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
    expect(retried.data!.retryPayment.userErrors).toEqual([]);
    const session: Session = retried.data!.retryPayment.paymentSession!;
    expect(session.id).not.toBe(o.session.id);
    expect((await confirmInBrowser(session, { card: '4242 4242 4242 4242' })).status).toBe(200);

    const confirmed = await orderIn(o, 'CONFIRMED');
    expect(confirmed.paymentAttempts.map((a) => a.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(await deliveryOf('payment_intent.payment_failed', o.session.id)).toMatchObject({ lastStatus: 200, delivered: true });
  });

  it('insufficient funds fail the order with that reason', async () => {
    const o = await checkedOut();

    const declined = await confirmInBrowser(o.session, { card: '4000000000009995' });
    expect(declined.body.error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' });

    const failed = await orderIn(o, 'PAYMENT_FAILED');
    expect(failed.failureReason).toContain('insufficient_funds');
    expect(failed.paymentAttempts).toEqual([expect.objectContaining({ status: 'FAILED' })]);
  });

  it('an admin refund makes the sandbox deliver charge.refunded, answered 2xx by the server', async () => {
    const o = await checkedOut();
    await confirmInBrowser(o.session, { payment_method: 'pm_card_visa' });
    await orderIn(o, 'CONFIRMED');

    const r = await refundOrder(t, await t.superToken(), o.siteId, o.orderId);
    expect(r.data!.refundOrder.order!.state).toBe('REFUNDED');

    const delivery = await deliveryOf('charge.refunded', o.session.id);
    expect(delivery).toMatchObject({ delivered: true, gaveUp: false });
    expect(delivery!.lastStatus).toBeGreaterThanOrEqual(200);
    expect(delivery!.lastStatus).toBeLessThan(300);
    const event = t.stripe.events.find((e) => e.id === delivery!.eventId)!;
    expect(event.data.object).toMatchObject({ object: 'charge', payment_intent: o.session.id, amount_refunded: 3000, refunded: true });
  });
});
