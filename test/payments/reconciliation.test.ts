import type Stripe from 'stripe';
import { stripeClient } from '../../src/integrations/stripe/stripe-gateway';
import { startTestAegis, WEBHOOK_SECRET, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { getCart, pendingOrder } from '../support/flows';
import { attemptsOf, orderState, sql, startAlertInbox, transitionsOf, waitForJob, type AlertInbox } from './support';

/**
 * Lost webhooks: the gateway took the payment but its events never got through. The reconciliation job (pg-boss)
 * asks the gateway about attempts still PENDING after RECONCILE_AFTER_S and applies what it holds through the
 * webhook's own command. Here the webhook endpoint refuses every delivery (a wrong signing secret, as after a
 * misconfigured deploy) until a test says otherwise.
 */
let t: TestAegis;
let inbox: AlertInbox;
let shopper: Stripe;
const clock = new TestClock();
const AFTER_S = 600;

beforeAll(async () => {
  inbox = await startAlertInbox();
  t = await startTestAegis({
    clock,
    env: {
      ALERT_WEBHOOK_URL: inbox.url,
      EXPIRY_JOB_CRON: 'off',
      RECONCILE_JOB_CRON: 'off',
      RECONCILE_AFTER_S: String(AFTER_S),
      TOKEN_TTL_SECONDS: String(365 * 24 * 3600),
    },
  });
  t.stripe.setWebhook(`${t.aegis.url}/webhooks/stripe`, 'whsec_not_the_one_aegis_has');
  shopper = stripeClient({ secretKey: 'sk_test_aegis', apiBase: t.stripe.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});
beforeEach(() => (inbox.alerts.length = 0));

async function runReconciliation(): Promise<'completed' | 'failed'> {
  const id = await t.aegis.jobs.triggerReconciliation();
  if (!id) throw new Error('a reconciliation run is already queued');
  return waitForJob(t.dbUrl, id);
}

/** Pays (or declines) at the sandbox, and waits until the endpoint refused its event once (the sandbox keeps retrying, in vain). */
async function payLost(intentId: string, paymentMethod = 'pm_card_visa') {
  await shopper.paymentIntents.confirm(intentId, { payment_method: paymentMethod }).catch((err: Error) => {
    if (paymentMethod === 'pm_card_visa') throw err;
  });
  const event = t.stripe.events.find((e) => e.type.startsWith('payment_intent.') && (e.data.object as { id: string }).id === intentId)!;
  for (const until = Date.now() + 5000; Date.now() < until; await new Promise((r) => setTimeout(r, 10))) {
    const delivery = t.stripe.deliveries.find((d) => d.eventId === event.id);
    if (delivery?.lastStatus === 400) return;
  }
  throw new Error(`the endpoint never refused ${event.id}`);
}

const historyActors = async (o: { cartToken: string; siteId: string }) =>
  (await getCart(t, o.cartToken, o.siteId)).data!.cart!.history.map((h) => `${h.to} ${h.actor}`);

describe('reconciliation of lost webhooks', () => {
  it('with the endpoint refusing everything, the job still confirms paid orders and fails declined ones, once they are old enough', async () => {
    const paid = await pendingOrder(t);
    const declined = await pendingOrder(t);
    const unpaid = await pendingOrder(t);
    await payLost(paid.intentId);
    await payLost(declined.intentId, 'pm_card_chargeDeclined');
    expect(t.stripe.deliveries.filter((d) => d.lastStatus === 400)).toHaveLength(2);
    expect(t.stripe.deliveries.every((d) => !d.delivered)).toBe(true);

    // Younger than RECONCILE_AFTER_S: not asked about yet.
    expect(await runReconciliation()).toBe('completed');
    expect(await orderState(t, paid.orderId)).toBe('PENDING_PAYMENT');

    clock.advance((AFTER_S + 1) * 1000);
    expect(await runReconciliation()).toBe('completed');
    expect(await orderState(t, paid.orderId)).toBe('CONFIRMED');
    expect(await orderState(t, declined.orderId)).toBe('PAYMENT_FAILED');
    expect(await orderState(t, unpaid.orderId)).toBe('PENDING_PAYMENT');
    expect((await historyActors(paid)).slice(-2)).toEqual([
      'PAYMENT_AUTHORIZED gateway:stripe:reconciliation',
      'CONFIRMED gateway:stripe:reconciliation',
    ]);
    expect((await getCart(t, declined.cartToken, declined.siteId)).data!.cart!.failureReason).toMatch(/card_declined/);
    // Asked about, still unsettled: remembered, so the next run asks the others first.
    const [left] = await sql(t.dbUrl, `select reconciled_at from payment_attempts where order_id = $1`, [unpaid.orderId]);
    expect(left.reconciled_at).not.toBeNull();
    // The gateway was asked over its authenticated API.
    expect(t.stripe.requests.filter((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${paid.intentId}`)).toHaveLength(1);
  });

  it('a late webhook for a reconciled payment changes nothing', async () => {
    const o = await pendingOrder(t);
    await payLost(o.intentId);
    clock.advance((AFTER_S + 1) * 1000);
    expect(await runReconciliation()).toBe('completed');
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
    const before = await transitionsOf(t, o.orderId);
    // The endpoint is fixed; the gateway's original event finally arrives.
    const event = t.stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === o.intentId,
    )!;
    const late = await t.webhook(event);
    expect(late.status).toBe(200);
    expect(late.body.outcome).toBe('unmatched');
    expect(await transitionsOf(t, o.orderId)).toEqual(before);
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ status: 'SUCCEEDED', needs_refund: false });
  });

  it('a webhook and the job racing over the same payments: one transition each', async () => {
    const orders = await Promise.all([1, 2, 3, 4, 5].map(() => pendingOrder(t)));
    for (const o of orders) await payLost(o.intentId);
    clock.advance((AFTER_S + 1) * 1000);
    const events = orders.map((o) =>
      t.stripe.events.find((e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === o.intentId)!,
    );
    const [job, ...answers] = await Promise.all([runReconciliation(), ...events.map((e) => t.webhook(e))]);
    expect(job).toBe('completed');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const o of orders) {
      expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
      expect((await transitionsOf(t, o.orderId)).filter((x) => x.endsWith('>CONFIRMED'))).toEqual(['PAYMENT_AUTHORIZED>CONFIRMED']);
    }
  });

  it('the gateway down during the run: nothing changes, the failure is alerted, and the next run succeeds', async () => {
    const o = await pendingOrder(t);
    await payLost(o.intentId);
    clock.advance((AFTER_S + 1) * 1000);
    t.stripe.failNext({ method: 'GET', path: /^\/v1\/payment_intents\// }, { status: 503, count: 1_000 });
    expect(await runReconciliation()).toBe('failed');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ status: 'PENDING' });
    expect((await inbox.waitFor('reconciliation_failed')).fields).toMatchObject({
      job: 'reconcile-payments',
      reason: expect.stringMatching(/could not be reconciled/),
    });

    t.stripe.recover();
    expect(await runReconciliation()).toBe('completed');
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
  });

  it('every application is audited as reconciliation, and its inbox id names the intent', async () => {
    const o = await pendingOrder(t);
    await payLost(o.intentId);
    clock.advance((AFTER_S + 1) * 1000);
    expect(await runReconciliation()).toBe('completed');
    const inboxRows = await sql(t.dbUrl, `select id from webhook_events where id like $1`, [`reconciliation:${o.intentId}:%`]);
    expect(inboxRows).toEqual([{ id: `reconciliation:${o.intentId}:succeeded` }]);
    const audited = await sql(
      t.dbUrl,
      `select distinct actor from audit_log where entity_id = $1 and to_state is not null and actor like 'gateway:%'`,
      [o.orderId],
    );
    expect(audited).toEqual([{ actor: 'gateway:stripe:reconciliation' }]);
  });

  it('the webhook secret Aegis has still works: the endpoint was refusing only the wrong one', async () => {
    t.stripe.setWebhook(`${t.aegis.url}/webhooks/stripe`, WEBHOOK_SECRET);
    const o = await pendingOrder(t);
    await shopper.paymentIntents.confirm(o.intentId, { payment_method: 'pm_card_visa' });
    // Not settled(): the refused events of earlier tests are still being retried, in vain.
    for (const until = Date.now() + 5000; Date.now() < until && (await orderState(t, o.orderId)) !== 'CONFIRMED';)
      await new Promise((r) => setTimeout(r, 20));
    expect(await orderState(t, o.orderId)).toBe('CONFIRMED');
  });
});
