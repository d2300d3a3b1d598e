import { RefundOrderDocument, RetryPaymentDocument } from '../../clients/generated/graphql';
import { paymentProviders } from '../../src/integrations/payment-providers';
import { StartError } from '../../src/start-error';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { getCart, pendingOrder } from '../support/flows';
import { ownerSql } from '../support/sql';
import { testPaymentProvider } from '../support/test-provider';

/**
 * A second payment provider is one adapter (test/support/test-provider.ts, on the domain's ports only) and one
 * registration line (below): the purchase, the decline and retry, and the refund run through it, its webhooks
 * arrive at /webhooks/test, and Stripe's route still answers beside it.
 */
describe('a payment provider beside Stripe', () => {
  const tp = testPaymentProvider();
  let t: TestAegis;
  beforeAll(async () => {
    t = await startTestAegis({ paymentProviders: [tp.provider], env: { PAYMENT_PROVIDER: 'test', EXPIRY_JOB_CRON: 'off' } });
  });
  afterAll(() => t.close());

  const post = (path: string, body: string, signature: string) =>
    fetch(`${t.aegis.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-signature': signature }, body }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { outcome?: string; code?: string } }),
    );

  it('takes the purchase: the intent is its own, its webhook confirms, the attempt and the audit name it', async () => {
    const o = await pendingOrder(t);
    expect(o.intentId).toMatch(/^tp_/);
    expect(tp.intents.get(o.intentId)).toMatchObject({ amountMinor: 2500, currency: 'EUR', owner: { siteId: o.siteId, orderId: o.orderId } });

    const paid = tp.event('paid', o.intentId);
    expect(await post('/webhooks/test', paid.body, paid.signature)).toEqual({ status: 200, body: { received: true, outcome: 'confirmed' } });
    expect((await getCart(t, o.cartToken, o.siteId)).data!.cart!.state).toBe('CONFIRMED');
    expect(await ownerSql(t.dbUrl, `select provider from payment_attempts where order_id = $1`, [o.orderId])).toEqual([{ provider: 'test' }]);
    expect(await ownerSql(t.dbUrl, `select actor, to_state from audit_log where entity_id = $1 and actor like 'gateway:%' order by at, to_state`, [o.orderId])).toEqual([
      { actor: 'gateway:test', to_state: 'CONFIRMED' },
      { actor: 'gateway:test', to_state: 'PAYMENT_AUTHORIZED' },
    ]);
    expect(await ownerSql(t.dbUrl, `select provider from webhook_events where id = $1`, [JSON.parse(paid.body).id])).toEqual([{ provider: 'test' }]);

    // The refund goes back to the provider that holds the intent.
    const refunded = await t.op(RefundOrderDocument, { siteId: o.siteId, orderId: o.orderId, reason: 'customer asked' }, { token: await t.superToken() });
    expect(refunded.data!.refundOrder).toMatchObject({ order: { state: 'REFUNDED' }, userErrors: [] });
    expect(tp.intents.get(o.intentId)!.refunds).toHaveLength(1);
  });

  it('declines, and a retry cancels the old intent at that provider and opens a new one there', async () => {
    const o = await pendingOrder(t);
    const declined = tp.event('declined', o.intentId, 'card_declined');
    expect((await post('/webhooks/test', declined.body, declined.signature)).body.outcome).toBe('failed');
    const retried = await t.op(RetryPaymentDocument, { siteId: o.siteId, orderId: o.orderId }, { cartToken: o.cartToken });
    const next = retried.data!.retryPayment.paymentSession!.id;
    expect(next).toMatch(/^tp_/);
    expect(next).not.toBe(o.intentId);
    expect(tp.intents.get(o.intentId)!.status).toBe('canceled');
    expect(tp.calls).toContain(`cancel ${o.intentId}`);
  });

  it('refuses a bad signature with 400 and an unknown provider with 404, writing nothing', async () => {
    const o = await pendingOrder(t);
    const paid = tp.event('paid', o.intentId);
    expect((await post('/webhooks/test', paid.body, 'ab'.repeat(32))).status).toBe(400);
    expect(await post('/webhooks/nope', paid.body, paid.signature)).toEqual({ status: 404, body: { error: 'no such payment provider', code: 'NOT_FOUND' } });
    expect((await getCart(t, o.cartToken, o.siteId)).data!.cart!.state).toBe('PENDING_PAYMENT');
    expect(await ownerSql(t.dbUrl, `select count(*)::int as n from webhook_events where id = $1`, [JSON.parse(paid.body).id])).toEqual([{ n: 0 }]);
  });

  it('refuses to start with a PAYMENT_PROVIDER nobody registered, in one line naming the known ones', () => {
    const start = () => paymentProviders([tp.provider], 'nope');
    expect(start).toThrow(StartError);
    expect(start).toThrow('PAYMENT_PROVIDER "nope" is not a registered payment provider (known: test): fix it in the environment.');
  });

  it("keeps Stripe's route: a Stripe event still reaches /webhooks/stripe", async () => {
    const r = await t.webhook(t.stripe.event('customer.created', { id: 'cus_1', object: 'customer' }));
    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
  });
});
