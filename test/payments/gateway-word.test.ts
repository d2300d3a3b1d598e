import type Stripe from 'stripe';
import { OrderDocument } from '../../clients/generated/graphql';
import { stripeClient } from '../../src/integrations/stripe/stripe-gateway';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { getCart, pendingOrder } from '../support/flows';
import {
  attemptsOf,
  orderState,
  refundOrder,
  retryPayment,
  runExpiryJob,
  sql,
  startAlertInbox,
  transitionsOf,
  type AlertInbox,
} from './support';

/**
 * What the gateway says on its own, after checkout: refunds and cancels made in its dashboard, disputes, and
 * events whose amounts do not match. The sandbox delivers the events of its API calls to the server, as Stripe
 * does; "the dashboard" is the official SDK with the account's secret key, outside Aegis.
 */
let t: TestAegis;
let inbox: AlertInbox;
let token: string;
let dashboard: Stripe;
const clock = new TestClock();

beforeAll(async () => {
  inbox = await startAlertInbox();
  t = await startTestAegis({
    clock,
    deliverWebhooks: true,
    env: { ALERT_WEBHOOK_URL: inbox.url, EXPIRY_JOB_CRON: 'off', RECONCILE_JOB_CRON: 'off', TOKEN_TTL_SECONDS: String(365 * 24 * 3600) },
  });
  token = await t.superToken();
  dashboard = stripeClient({ secretKey: 'sk_test_aegis', apiBase: t.stripe.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});
beforeEach(() => (inbox.alerts.length = 0));

/** Pays the order's intent in the sandbox (as Stripe.js would) and waits for the webhook to be delivered. */
async function pay(intentId: string, paymentMethod = 'pm_card_visa') {
  await dashboard.paymentIntents.confirm(intentId, { payment_method: paymentMethod });
  await t.stripe.settled();
}

async function confirmed(paymentMethod?: string) {
  const o = await pendingOrder(t);
  await pay(o.intentId, paymentMethod);
  expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
  return o;
}

const adminOrder = async (siteId: string, id: string) => (await t.op(OrderDocument, { siteId, id }, { token })).data!.order!;
const auditActions = async (entityId: string) =>
  (await sql(t.dbUrl, `select action, actor from audit_log where entity_id = $1 order by at, id`, [entityId])).map(
    (r) => `${r.action} ${r.actor}`,
  );
const deliveredTypes = () => t.stripe.deliveries.filter((d) => d.delivered).map((d) => d.type);

describe('payment_intent.succeeded must match the attempt exactly', () => {
  /** Delivers the succeeded event with the intent's JSON changed as given. */
  async function succeededWith(change: (pi: Record<string, unknown>) => void) {
    const o = await pendingOrder(t);
    const pi = structuredClone(t.stripe.succeed(o.intentId)) as unknown as Record<string, unknown>;
    change(pi);
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', pi));
    return { o, r, attempt: (await attemptsOf(t, o.orderId))[0] };
  }

  it('amount differs, amount_received matches: not confirmed, needsRefund, alerted (today confirmed)', async () => {
    const { o, r, attempt } = await succeededWith((pi) => (pi.amount = 9999));
    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect(attempt).toMatchObject({ status: 'SUCCEEDED', needs_refund: true });
    expect((await inbox.waitFor('needs_refund')).fields).toMatchObject({ orderId: o.orderId, reason: expect.stringMatching(/asked 9999/) });
  });

  it('amount matches, less received: not confirmed, needsRefund for what was received', async () => {
    const { o, r, attempt } = await succeededWith((pi) => (pi.amount_received = 100));
    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect(attempt).toMatchObject({ status: 'SUCCEEDED', needs_refund: true });
    await inbox.waitFor('needs_refund');
  });

  it('nothing received: no money to refund, the attempt stays PENDING, and the mismatch is alerted', async () => {
    const { o, r, attempt } = await succeededWith((pi) => (pi.amount_received = 0));
    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect(attempt).toMatchObject({ status: 'PENDING', needs_refund: false });
    expect((await inbox.waitFor('amount_mismatch')).fields).toMatchObject({ orderId: o.orderId });
  });

  it('another currency: not confirmed, needsRefund', async () => {
    const { o, attempt } = await succeededWith((pi) => (pi.currency = 'usd'));
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect(attempt).toMatchObject({ needs_refund: true });
  });
});

describe('charge.refunded: a refund made at the gateway', () => {
  it('in full: CONFIRMED -> REFUNDED as the gateway, recorded on the attempt and audited', async () => {
    const o = await confirmed();
    await dashboard.refunds.create({ payment_intent: o.intentId });
    await t.stripe.settled();
    expect(await orderState(t, o.orderId)).toBe('REFUNDED');
    const [attempt] = await attemptsOf(t, o.orderId);
    expect(attempt).toMatchObject({ refunded: true, needs_refund: false });
    const order = await adminOrder(o.siteId, o.orderId);
    expect(order.paymentAttempts[0]).toMatchObject({ refundedMinor: o.totalMinor });
    expect(order.history.at(-1)).toMatchObject({ from: 'CONFIRMED', to: 'REFUNDED', actor: 'gateway:stripe' });
    expect(await auditActions(attempt.id)).toContain('payment.refundedAtGateway gateway:stripe');
  });

  it('in part: the amount is recorded and the order stays CONFIRMED; the rest refunded later makes it REFUNDED', async () => {
    const o = await confirmed();
    await dashboard.refunds.create({ payment_intent: o.intentId, amount: 1000 });
    await t.stripe.settled();
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
    expect((await adminOrder(o.siteId, o.orderId)).paymentAttempts[0]).toMatchObject({ refundedMinor: 1000 });
    await dashboard.refunds.create({ payment_intent: o.intentId });
    await t.stripe.settled();
    expect(await orderState(t, o.orderId)).toBe('REFUNDED');
    expect((await adminOrder(o.siteId, o.orderId)).paymentAttempts[0]).toMatchObject({ refundedMinor: o.totalMinor });
    expect(await transitionsOf(t, o.orderId)).toEqual([
      '-' + '>DRAFT',
      'DRAFT>PENDING_PAYMENT',
      'PENDING_PAYMENT>PAYMENT_AUTHORIZED',
      'PAYMENT_AUTHORIZED>CONFIRMED',
      'CONFIRMED>REFUNDED',
    ]);
  });

  it("Aegis's own refund, coming back from the gateway, is recorded once and moves nothing", async () => {
    const o = await confirmed();
    const r = await refundOrder(t, token, o.siteId, o.orderId);
    expect(r.data!.refundOrder.order!.state).toBe('REFUNDED');
    await t.stripe.settled();
    expect(deliveredTypes()).toContain('charge.refunded');
    expect(await orderState(t, o.orderId)).toBe('REFUNDED');
    expect((await transitionsOf(t, o.orderId)).filter((x) => x.endsWith('>REFUNDED'))).toEqual(['CONFIRMED>REFUNDED']);
    expect((await adminOrder(o.siteId, o.orderId)).paymentAttempts[0]).toMatchObject({ refundedMinor: o.totalMinor });
  });

  it('delivered twice: the inbox takes it once', async () => {
    const o = await confirmed();
    await dashboard.refunds.create({ payment_intent: o.intentId, amount: 500 });
    await t.stripe.settled();
    const event = t.stripe.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    expect((await t.webhook(event)).body.outcome).toBe('duplicate');
    expect(await auditActions((await attemptsOf(t, o.orderId))[0].id)).toEqual(['payment.refundedAtGateway gateway:stripe']);
  });
});

describe('charge.dispute.created and charge.dispute.closed', () => {
  it('a dispute is recorded on the attempt, visible on the order and alerted; closing it records the outcome', async () => {
    const o = await confirmed('pm_card_createDispute');
    const opened = await inbox.waitFor('dispute');
    expect(opened.fields).toMatchObject({ orderId: o.orderId, status: 'needs_response' });
    let order = await adminOrder(o.siteId, o.orderId);
    expect(order).toMatchObject({ state: 'CONFIRMED', disputed: true, disputeOutcome: null });
    const dispute = order.paymentAttempts[0].dispute!;
    expect(dispute).toMatchObject({ status: 'needs_response', reason: 'fraudulent', amountMinor: o.totalMinor, closed: false });

    inbox.alerts.length = 0;
    await dashboard.disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await t.stripe.settled();
    expect((await inbox.waitFor('dispute')).fields).toMatchObject({ orderId: o.orderId, status: 'won' });
    order = await adminOrder(o.siteId, o.orderId);
    expect(order).toMatchObject({ state: 'CONFIRMED', disputed: true, disputeOutcome: 'won' });
    expect(order.paymentAttempts[0].dispute).toMatchObject({ status: 'won', closed: true });
    const attemptId = order.paymentAttempts[0].id;
    expect(await auditActions(attemptId)).toEqual(['payment.disputeOpened gateway:stripe', 'payment.disputeClosed gateway:stripe']);
  });

  it('a dispute accepted (closed) is lost; the storefront sees it on its order too', async () => {
    const o = await confirmed('pm_card_createDispute');
    const order = await adminOrder(o.siteId, o.orderId);
    await dashboard.disputes.close(order.paymentAttempts[0].dispute!.id);
    await t.stripe.settled();
    expect(await adminOrder(o.siteId, o.orderId)).toMatchObject({ disputed: true, disputeOutcome: 'lost' });
  });

  it('a late "created" after the close does not reopen it', async () => {
    const o = await confirmed('pm_card_createDispute');
    const created = t.stripe.events.filter((e) => e.type === 'charge.dispute.created').at(-1)!;
    const id = (created.data.object as { id: string }).id;
    await dashboard.disputes.close(id);
    await t.stripe.settled();
    // The same dispute announced again, as a new event (Stripe does not promise order).
    expect((await t.webhook(t.stripe.event('charge.dispute.created', created.data.object))).body.outcome).toBe('recorded');
    expect(await adminOrder(o.siteId, o.orderId)).toMatchObject({ disputeOutcome: 'lost' });
  });
});

describe('payment_intent.canceled', () => {
  it('cancelled at the gateway while the order waits: PAYMENT_FAILED "canceled at gateway", and the shopper may retry', async () => {
    const o = await pendingOrder(t);
    await dashboard.paymentIntents.cancel(o.intentId);
    await t.stripe.settled();
    const cart = (await getCart(t, o.cartToken, o.siteId)).data!.cart!;
    expect(cart).toMatchObject({ state: 'PAYMENT_FAILED', failureReason: 'canceled at gateway' });
    expect(cart.history.at(-1)).toMatchObject({
      from: 'PENDING_PAYMENT',
      to: 'PAYMENT_FAILED',
      actor: 'gateway:stripe',
      reason: 'canceled at gateway',
    });
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ status: 'CANCELED', failure_reason: 'canceled at gateway' });
    await inbox.waitFor('payment_failed');
    const retried = await retryPayment(t, o.cartToken, o.siteId, o.orderId);
    expect(retried.data!.retryPayment.order!.state).toBe('PENDING_PAYMENT');
    // The cancelled intent was not cancelled again (Stripe would refuse): no cancel_refused.
    expect(inbox.alerts.map((a) => a.kind)).not.toContain('cancel_refused');
  });

  it("Aegis's own cancel (expiry), coming back from the gateway, changes nothing", async () => {
    const o = await pendingOrder(t);
    clock.advance(25 * 3600 * 1000);
    expect(await runExpiryJob(t)).toBe('completed');
    await t.stripe.settled();
    expect(deliveredTypes()).toContain('payment_intent.canceled');
    expect(await orderState(t, o.orderId)).toBe('EXPIRED');
    const [attempt] = await attemptsOf(t, o.orderId);
    expect(attempt.status).toBe('CANCELED');
    expect(await auditActions(attempt.id)).toContain('payment.canceled gateway:stripe');
  });

  it("Aegis's cancel seen before its own move commits: the order is not failed by it", async () => {
    const o = await pendingOrder(t);
    const [attempt] = await attemptsOf(t, o.orderId);
    // What expiry writes before it calls the gateway; the gateway's event then arrives first.
    await sql(t.dbUrl, `update payment_attempts set cancel_requested_at = now() where id = $1`, [attempt.id]);
    await dashboard.paymentIntents.cancel(o.intentId);
    await t.stripe.settled();
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
  });
});
