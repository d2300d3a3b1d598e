import pino from 'pino';
import { Writable } from 'node:stream';
import {
  CreateContentItemDocument,
  CreateSiteDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../../clients/generated/graphql';
import { createNotifier, type Notifier } from '../../src/alerts/notifier';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { pendingOrder } from '../support/flows';
import {
  confirmedOrder,
  declined,
  failedOrder,
  orderState,
  refundOrder,
  retryPayment,
  runExpiryJob,
  startAlertInbox,
  type AlertInbox,
} from './support';

const clock = new TestClock();
const LIMIT = 3;
let inbox: AlertInbox;
let t: TestAegis;
let poisoned: string | null = null;

beforeAll(async () => {
  inbox = await startAlertInbox();
  t = await startTestAegis({
    clock,
    faults: {
      beforeExpire: (orderId) => {
        if (orderId === poisoned) throw new Error('poisoned order');
      },
    },
    env: {
      ALERT_WEBHOOK_URL: inbox.url,
      ALERT_MAX_PER_WINDOW: String(LIMIT),
      ALERT_WINDOW_SECONDS: '60',
      EXPIRY_JOB_CRON: 'off',
      TOKEN_TTL_SECONDS: String(365 * 24 * 3600),
    },
  });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});
beforeEach(() => {
  // A fresh rate-limit window and an empty inbox for every test.
  clock.advance(61_000);
  inbox.alerts.length = 0;
});

describe('every kind of failure reaches the notifier (ALERT_WEBHOOK_URL)', () => {
  it('payment failures, with site, order, attempt and reason', async () => {
    const o = await pendingOrder(t);
    await declined(t, o.intentId, 'Expired card.');
    const alert = await inbox.waitFor('payment_failed');
    expect(alert.fields).toMatchObject({
      siteId: o.siteId,
      orderId: o.orderId,
      intentId: o.intentId,
      reason: expect.stringContaining('Expired card.'),
    });
    expect(alert.fields.attemptId).toEqual(expect.any(String));
  });

  it('signature rejections', async () => {
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', {}), { signature: 't=1,v1=forged' });
    expect(r.status).toBe(400);
    expect((await inbox.waitFor('webhook_signature_rejected')).fields.reason).toEqual(expect.any(String));
  });

  it('attempts flagged needsRefund', async () => {
    const o = await pendingOrder(t);
    const pi = { ...t.stripe.succeed(o.intentId), amount_received: o.totalMinor + 1 };
    expect((await t.webhook(t.stripe.event('payment_intent.succeeded', pi))).body.outcome).toBe('unmatched');
    expect((await inbox.waitFor('needs_refund')).fields).toMatchObject({ siteId: o.siteId, orderId: o.orderId });
  });

  it('refused refunds', async () => {
    const o = await confirmedOrder(t);
    t.stripe.failNext({ method: 'POST', path: '/v1/refunds' }, { status: 500 });
    expect((await refundOrder(t, await t.superToken(), o.siteId, o.orderId)).data!.refundOrder.userErrors[0].code).toBe(
      'PAYMENT_GATEWAY_ERROR',
    );
    expect((await inbox.waitFor('refund_refused')).fields).toMatchObject({ siteId: o.siteId, orderId: o.orderId, intentId: o.intentId });
  });

  it('refused cancels (the superseded intent of a retry)', async () => {
    const o = await failedOrder(t);
    t.stripe.failNext({ method: 'POST', path: `/v1/payment_intents/${o.intentId}/cancel` }, { status: 500 });
    expect((await retryPayment(t, o.cartToken, o.siteId, o.orderId)).data!.retryPayment.order!.state).toBe('PENDING_PAYMENT');
    expect((await inbox.waitFor('cancel_refused')).fields).toMatchObject({ orderId: o.orderId, intentId: o.intentId });
  });

  it('AI provider failures', async () => {
    const token = await t.superToken();
    const site = await t.op(CreateSiteDocument, { input: { name: 'AI', currency: 'EUR' } }, { token });
    const siteId = site.data!.createSite.site!.id;
    await t.op(SetAiEnabledDocument, { siteId, enabled: true }, { token });
    const item = await t.op(CreateContentItemDocument, { siteId, input: { slug: 'home', title: 'Home', body: 'Hello' } }, { token });
    const itemId = item.data!.createContentItem.contentItem!.id;
    t.openai.mode = 'error';
    try {
      const r = await t.op(RequestSuggestionDocument, { siteId, contentItemId: itemId, instruction: 'warmer' }, { token });
      expect(r.data!.requestSuggestion.userErrors[0].code).toBe('AI_UNAVAILABLE');
    } finally {
      t.openai.mode = 'ok';
    }
    expect((await inbox.waitFor('ai_unavailable')).fields).toMatchObject({ siteId, contentItemId: itemId });
  });

  it('failed scheduled jobs; the job still expires the other orders', async () => {
    const bad = await failedOrder(t);
    const good = await failedOrder(t);
    poisoned = bad.orderId;
    clock.advance(25 * 3600 * 1000);
    try {
      expect(await runExpiryJob(t)).toBe('failed');
    } finally {
      poisoned = null;
    }
    expect((await inbox.waitFor('job_failed')).fields).toMatchObject({
      job: 'expire-orders',
      reason: expect.stringContaining('1 order(s) could not be expired'),
    });
    expect(await orderState(t, good.orderId)).toBe('EXPIRED');
    expect(await orderState(t, bad.orderId)).toBe('PAYMENT_FAILED');
  });
});

/** Waits for the server's notifier to finish every delivery under way. */
const delivered = () => (t.aegis.deps.alerts as Notifier).flush();

describe('rate limit', () => {
  it('sends at most the limit per kind and window, then reports how many it held back', async () => {
    const forged = () => t.webhook(t.stripe.event('payment_intent.succeeded', {}), { signature: 't=1,v1=forged' });
    for (let i = 0; i < LIMIT + 4; i++) expect((await forged()).status).toBe(400);
    // Another kind is not held back by this burst.
    await declined(t, (await pendingOrder(t)).intentId);
    await delivered();
    const rejected = () => inbox.alerts.filter((a) => a.kind === 'webhook_signature_rejected');
    expect(rejected()).toHaveLength(LIMIT);
    expect(inbox.alerts.filter((a) => a.kind === 'payment_failed')).toHaveLength(1);

    clock.advance(61_000);
    await forged();
    await delivered();
    expect(rejected()).toHaveLength(LIMIT + 1);
    expect(rejected()[LIMIT].suppressed).toBe(4);
  });
});

it('without ALERT_WEBHOOK_URL an alert is one log line at error, with its fields', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const notifier = createNotifier({ limit: { max: 10, windowMs: 60_000 }, clock, log: pino({ level: 'info' }, stream) });
  notifier.raise({
    kind: 'payment_failed',
    message: 'Payment declined',
    fields: { siteId: 's', orderId: 'o', attemptId: 'a', reason: 'r' },
  });
  await notifier.flush();
  expect(lines.map((l) => JSON.parse(l))).toEqual([
    expect.objectContaining({
      level: 50,
      alert: 'payment_failed',
      siteId: 's',
      orderId: 'o',
      attemptId: 'a',
      reason: 'r',
      msg: 'ALERT payment_failed: Payment declined',
    }),
  ]);
});
