import {
  AdminLoginDocument,
  AuditLogDocument,
  CartDocument,
  CreateSiteAdminDocument,
  OrderDocument,
  OrdersDocument,
  StorefrontOrderDocument,
  UpdateCartLineDocument,
} from '../../clients/generated/graphql';
import { ownerSql } from '../support/sql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, pendingOrder, setDetails } from '../support/flows';

let t: TestAegis;
let faultOnce: string | null = null;

beforeAll(async () => {
  t = await startTestAegis({
    faults: {
      afterInboxRecorded: (eventId) => {
        if (eventId === faultOnce) {
          faultOnce = null;
          throw new Error('injected fault between inbox row and transition');
        }
      },
    },
  });
});
afterAll(() => t.close());

/** Reads as the owner, outside the API, to prove what the database holds. */
const sql = <T = any>(query: string, params: unknown[] = []): Promise<T[]> => ownerSql<T>(t.dbUrl, query, params);

const orderState = async (orderId: string) => (await sql(`select state from orders where id = $1`, [orderId]))[0].state;
const inboxCount = async () => Number((await sql(`select count(*) from webhook_events`))[0].count);

describe('public purchase flow over HTTP', () => {
  it('goes site -> product -> cart -> lines -> details -> checkout -> signed webhook -> CONFIRMED, with the audit trail', async () => {
    const siteId = await createSite(t, 'Happy Shop', 'EUR');
    const tee = await createProduct(t, siteId, 'TEE', 1999);
    const mug = await createProduct(t, siteId, 'MUG', 850);
    const { cartToken, orderId } = await createCart(t, siteId);

    const a1 = await addToCart(t, cartToken, siteId, tee, 2);
    expect(a1.data!.addToCart.userErrors).toEqual([]);
    const a2 = await addToCart(t, cartToken, siteId, mug, 1);
    expect(a2.data!.addToCart.order!.totalMinor).toBe(2 * 1999 + 850);
    expect(a2.data!.addToCart.order!.lines).toHaveLength(2);

    expect((await setDetails(t, cartToken, siteId)).data!.setCheckoutDetails.userErrors).toEqual([]);
    const c = await checkout(t, cartToken, siteId);
    expect(c.data!.checkout.userErrors).toEqual([]);
    expect(c.data!.checkout.order!.state).toBe('PENDING_PAYMENT');
    const session = c.data!.checkout.paymentSession!;
    expect(session.clientSecret).toContain(session.id);

    // The gateway saw exactly one PaymentIntent, for the server-computed total, with the attempt's key and metadata.
    const creates = t.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
    const mine = creates.filter((r) => (r.params.metadata as any)?.order_id === orderId);
    expect(mine).toHaveLength(1);
    expect(mine[0].params).toMatchObject({ amount: String(2 * 1999 + 850), currency: 'eur', metadata: { site_id: siteId, order_id: orderId } });
    const [attempt] = await sql(`select id, idempotency_key from payment_attempts where order_id = $1`, [orderId]);
    expect(mine[0].idempotencyKey).toBe(attempt.idempotency_key);

    const pi = t.stripe.succeed(session.id);
    const hook = await t.webhook(t.stripe.event('payment_intent.succeeded', pi));
    expect(hook).toEqual({ status: 200, body: { received: true, outcome: 'confirmed' } });

    const after = await getCart(t, cartToken, siteId);
    expect(after.data!.cart!.state).toBe('CONFIRMED');
    expect(after.data!.cart!.paymentAttempts).toEqual([expect.objectContaining({ status: 'SUCCEEDED', amountMinor: 4848, needsRefund: false })]);
    expect(after.data!.cart!.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'DRAFT'],
      ['DRAFT', 'PENDING_PAYMENT'],
      ['PENDING_PAYMENT', 'PAYMENT_AUTHORIZED'],
      ['PAYMENT_AUTHORIZED', 'CONFIRMED'],
    ]);
    expect(after.data!.cart!.history[3].actor).toBe('gateway:stripe');

    const log = await t.op(AuditLogDocument, { siteId, first: 100 }, { token: await t.superToken() });
    const actions = log.data!.auditLog.edges.map((e) => e.node.action);
    expect(actions).toEqual([
      'site.create', 'product.create', 'product.create', 'order.createCart', 'order.addToCart', 'order.addToCart',
      'order.setCheckoutDetails', 'order.checkout', 'order.paymentAuthorized', 'order.confirm',
    ]);
  });

  it('finds the cart again with its token in a new HTTP session, and not without it', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'KEEP', 500);
    const { cartToken, orderId } = await createCart(t, siteId);
    await addToCart(t, cartToken, siteId, p, 3);
    // fetch opens a new connection per request here: nothing but the token ties the visitor to its cart.
    const again = await getCart(t, cartToken, siteId);
    expect(again.data!.cart).toMatchObject({ id: orderId, state: 'DRAFT', totalMinor: 1500 });
    const anonymous = await t.op(CartDocument, { siteId });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const otherToken = await getCart(t, 'not-a-real-token', siteId);
    expect(otherToken.data!.cart).toBeNull();
  });

  it('refuses checkout on an empty cart and without details, changing nothing', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'X1', 100);
    const { cartToken, orderId } = await createCart(t, siteId);
    const empty = await checkout(t, cartToken, siteId);
    expect(empty.data!.checkout.userErrors[0].code).toBe('EMPTY_CART');
    await addToCart(t, cartToken, siteId, p, 1);
    const noDetails = await checkout(t, cartToken, siteId);
    expect(noDetails.data!.checkout.userErrors[0].code).toBe('CHECKOUT_DETAILS_MISSING');
    expect(noDetails.data!.checkout.order).toBeNull();
    expect(await orderState(orderId)).toBe('DRAFT');
    expect(await sql(`select id from payment_attempts where order_id = $1`, [orderId])).toHaveLength(0);
  });

  it('returns the same session on a repeated checkout without a second PaymentIntent', async () => {
    const o = await pendingOrder(t);
    const before = t.stripe.paymentIntents.size;
    const again = await checkout(t, o.cartToken, o.siteId);
    expect(again.data!.checkout.userErrors).toEqual([]);
    expect(again.data!.checkout.paymentSession!.id).toBe(o.intentId);
    expect(t.stripe.paymentIntents.size).toBe(before);
    expect(await sql(`select id from payment_attempts where order_id = $1`, [o.orderId])).toHaveLength(1);
    // And the order itself carries the session, so a lost response is recoverable.
    expect((await getCart(t, o.cartToken, o.siteId)).data!.cart!.paymentSession!.id).toBe(o.intentId);
  });

  it('keeps the order PENDING_PAYMENT when the gateway fails, and checkout again retries with the same key', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'GW', 700);
    const { cartToken, orderId } = await createCart(t, siteId);
    await addToCart(t, cartToken, siteId, p, 1);
    await setDetails(t, cartToken, siteId);
    t.stripe.failNext({ method: 'POST', path: '/v1/payment_intents' }, { status: 500 });
    const failed = await checkout(t, cartToken, siteId);
    expect(failed.data!.checkout.userErrors[0].code).toBe('PAYMENT_GATEWAY_ERROR');
    expect(failed.data!.checkout.order!.state).toBe('PENDING_PAYMENT');
    expect(failed.data!.checkout.paymentSession).toBeNull();
    const retried = await checkout(t, cartToken, siteId);
    expect(retried.data!.checkout.userErrors).toEqual([]);
    const keys = t.stripe.requests.filter((r) => r.path === '/v1/payment_intents' && (r.params.metadata as any)?.order_id === orderId).map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('gateway webhook', () => {
  it('refuses invalid and stale signatures with 400 and writes nothing', async () => {
    const o = await pendingOrder(t);
    const event = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
    const inbox = await inboxCount();
    const bad = await t.webhook(event, { signature: 't=1,v1=deadbeef' });
    expect(bad.status).toBe(400);
    const stale = await t.webhook(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(400);
    const missing = await fetch(`${t.aegis.url}/webhooks/stripe`, { method: 'POST', body: JSON.stringify(event) });
    expect(missing.status).toBe(400);
    expect(await inboxCount()).toBe(inbox);
    expect(await orderState(o.orderId)).toBe('PENDING_PAYMENT');
  });

  it('answers a duplicate event id with 200 and changes nothing', async () => {
    const o = await pendingOrder(t);
    const event = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
    expect((await t.webhook(event)).body.outcome).toBe('confirmed');
    const audit = await sql(`select count(*) from audit_log where entity_id = $1`, [o.orderId]);
    const dup = await t.webhook(event);
    expect(dup).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(await sql(`select count(*) from audit_log where entity_id = $1`, [o.orderId])).toEqual(audit);
    expect(await orderState(o.orderId)).toBe('CONFIRMED');
  });

  it('changes no order state on an amount mismatch, and flags the money taken for refund', async () => {
    const o = await pendingOrder(t);
    const pi = { ...t.stripe.succeed(o.intentId) };
    pi.amount = pi.amount_received = o.totalMinor - 1;
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', pi));
    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(o.orderId)).toBe('PENDING_PAYMENT');
    const cart = await getCart(t, o.cartToken, o.siteId);
    expect(cart.data!.cart!.needsRefund).toBe(true);
    expect(cart.data!.cart!.history.map((h) => h.to)).toEqual(['DRAFT', 'PENDING_PAYMENT']);
  });

  it('leaves neither inbox row nor transition when a fault strikes between them, so a redelivery confirms', async () => {
    const o = await pendingOrder(t);
    const event = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
    faultOnce = event.id;
    const crashed = await t.webhook(event);
    expect(crashed.status).toBe(500);
    expect(await sql(`select id from webhook_events where id = $1`, [event.id])).toHaveLength(0);
    expect(await orderState(o.orderId)).toBe('PENDING_PAYMENT');
    const redelivered = await t.webhook(event);
    expect(redelivered.body.outcome).toBe('confirmed');
    expect(await orderState(o.orderId)).toBe('CONFIRMED');
  });

  it('matches an intent never recorded on its attempt (crash after the gateway call) through verified metadata', async () => {
    const o = await pendingOrder(t);
    await sql(`update payment_attempts set intent_id = null, client_secret = null where order_id = $1`, [o.orderId]);
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId)));
    expect(r.body.outcome).toBe('confirmed');
    expect((await sql(`select intent_id from payment_attempts where order_id = $1`, [o.orderId]))[0].intent_id).toBe(o.intentId);
  });

  it('answers unhandled event types with 200', async () => {
    const r = await t.webhook(t.stripe.event('customer.created', { id: 'cus_1', object: 'customer' }));
    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'unhandled' } });
  });
});

describe('ownership and tenancy', () => {
  it('visitor B cannot touch or read visitor A\'s cart', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'OWN', 300);
    const a = await createCart(t, siteId);
    const b = await createCart(t, siteId);
    await addToCart(t, a.cartToken, siteId, p, 1);
    const aLine = (await getCart(t, a.cartToken, siteId)).data!.cart!.lines[0].id;

    const update = await t.op(UpdateCartLineDocument, { siteId, lineId: aLine, quantity: 0 }, { cartToken: b.cartToken });
    expect(update.data!.updateCartLine.userErrors[0].code).toBe('NOT_FOUND');
    const read = await t.op(StorefrontOrderDocument, { siteId, id: a.orderId }, { cartToken: b.cartToken });
    expect(read.data!.order).toBeNull();
    expect((await getCart(t, a.cartToken, siteId)).data!.cart!.lines).toHaveLength(1);
  });

  it('a site admin of site A cannot read site B\'s orders', async () => {
    const siteA = await createSite(t, 'A');
    const siteB = await createSite(t, 'B');
    const oB = await pendingOrder(t, siteB);
    const superToken = await t.superToken();
    const created = await t.op(
      CreateSiteAdminDocument,
      { input: { email: 'alice@a.example', password: 'alice-password-123', siteIds: [siteA] } },
      { token: superToken },
    );
    expect(created.data!.createSiteAdmin.admin!.siteIds).toEqual([siteA]);
    const login = await t.op(AdminLoginDocument, { email: 'alice@a.example', password: 'alice-password-123' });
    const alice = login.data!.adminLogin.token!;

    const list = await t.op(OrdersDocument, { siteId: siteB }, { token: alice });
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(list.data).toBeNull();
    const one = await t.op(OrderDocument, { siteId: siteA, id: oB.orderId }, { token: alice });
    expect(one.data!.order).toBeNull();
    const own = await t.op(OrdersDocument, { siteId: siteA }, { token: alice });
    expect(own.data!.orders.edges).toEqual([]);
    const superList = await t.op(OrdersDocument, { siteId: siteB }, { token: superToken });
    expect(superList.data!.orders.edges.map((e) => e.node.id)).toEqual([oB.orderId]);
  });
});
