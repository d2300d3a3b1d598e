import { startTestAegis, type TestAegis } from '../support/aegis';
import { createSite, pendingOrder } from '../support/flows';
import { attemptsOf, orderState, sql, startAlertInbox, type AlertInbox } from './support';

/**
 * A verified event whose metadata names the wrong site (another one, an unknown one, or none): the intent id is
 * what binds it to an attempt, found site by site under row-level security. Money taken is flagged needsRefund on
 * the attempt the intent belongs to and alerted at once; no other site's audit log hears of it.
 */
let t: TestAegis;
let inbox: AlertInbox;

beforeAll(async () => {
  inbox = await startAlertInbox();
  t = await startTestAegis({ env: { ALERT_WEBHOOK_URL: inbox.url, EXPIRY_JOB_CRON: 'off' } });
});
afterAll(async () => {
  await t.close();
  await inbox.close();
});
beforeEach(() => {
  inbox.alerts.length = 0;
});

/** Every audit entry, of any site, that names the intent or its attempt. */
const auditNaming = (intentId: string, attemptId: string) =>
  sql(
    t.dbUrl,
    `select site_id, action, entity, entity_id from audit_log where entity_id in ($1, $2) or detail like '%' || $1 || '%' order by at, id`,
    [intentId, attemptId],
  );

const withMetadata = (pi: { metadata: Record<string, string> }, metadata: Record<string, string>) => ({ ...pi, metadata });

describe('a paid intent whose metadata names the wrong site', () => {
  it.each([
    ['another known site', (other: string) => ({ site_id: other })],
    ['an unknown site', () => ({ site_id: '0190c0de-0000-7000-8000-00000000beef' })],
    ['no site at all', () => ({})],
  ])('names %s: flags needsRefund on its own attempt, alerts at once, audits only in its own site', async (_what, site) => {
    const o = await pendingOrder(t);
    const other = await createSite(t, 'Other shop');
    const [attempt] = await attemptsOf(t, o.orderId);
    const pi = t.stripe.succeed(o.intentId);
    const { site_id: _ours, ...rest } = pi.metadata;
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', withMetadata(pi, { ...rest, ...site(other) })));

    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'unmatched' } });
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ id: attempt.id, status: 'SUCCEEDED', needs_refund: true });
    expect((await inbox.waitFor('needs_refund')).fields).toMatchObject({ siteId: o.siteId, orderId: o.orderId, attemptId: attempt.id });
    expect(await auditNaming(o.intentId, attempt.id)).toEqual([
      { site_id: o.siteId, action: 'payment.needsRefund', entity: 'PaymentAttempt', entity_id: attempt.id },
    ]);
    expect(await sql(t.dbUrl, `select count(*)::int as n from audit_log where site_id = $1 and actor = 'gateway:stripe'`, [other])).toEqual(
      [{ n: 0 }],
    );
    expect(
      await sql(t.dbUrl, `select site_id from webhook_events where type = 'payment_intent.succeeded' order by received_at desc limit 1`),
    ).toEqual([{ site_id: o.siteId }]);
  });

  it('a decline naming another site moves nothing and is audited in its own site only', async () => {
    const o = await pendingOrder(t);
    const other = await createSite(t, 'Other shop');
    const [attempt] = await attemptsOf(t, o.orderId);
    const pi = t.stripe.fail(o.intentId);
    const r = await t.webhook(t.stripe.event('payment_intent.payment_failed', withMetadata(pi, { ...pi.metadata, site_id: other })));

    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    expect((await attemptsOf(t, o.orderId))[0]).toMatchObject({ status: 'PENDING', needs_refund: false });
    expect(await auditNaming(o.intentId, attempt.id)).toEqual([
      { site_id: o.siteId, action: 'payment.unmatched', entity: 'PaymentAttempt', entity_id: attempt.id },
    ]);
  });

  it('an intent no site holds is audited on the platform, never in the site its metadata names', async () => {
    const o = await pendingOrder(t);
    const pi = { ...t.stripe.succeed(o.intentId), id: 'pi_nobody_knows_this_one' };
    const r = await t.webhook(t.stripe.event('payment_intent.succeeded', withMetadata(pi, { site_id: o.siteId, order_id: o.orderId })));

    expect(r.body.outcome).toBe('unmatched');
    expect(await orderState(t, o.orderId)).toBe('PENDING_PAYMENT');
    // No site holds it: the entry lives on the platform, in its own table.
    expect(await auditNaming(pi.id, pi.id)).toEqual([]);
    expect(await sql(t.dbUrl, `select action, entity, entity_id from platform_audit_log where entity_id = $1`, [pi.id])).toEqual([
      { action: 'payment.unmatched', entity: 'PaymentIntent', entity_id: pi.id },
    ]);
  });

  it('the metadata telling the truth still confirms, and a redelivery of a wrong-site event is a duplicate', async () => {
    const o = await pendingOrder(t);
    expect((await t.webhook(t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId)))).body.outcome).toBe('confirmed');

    const lied = await pendingOrder(t);
    const pi = t.stripe.succeed(lied.intentId);
    const event = t.stripe.event('payment_intent.succeeded', withMetadata(pi, { ...pi.metadata, site_id: o.siteId }));
    expect((await t.webhook(event)).body.outcome).toBe('unmatched');
    expect((await t.webhook(event)).body.outcome).toBe('duplicate');
    expect(
      await sql(t.dbUrl, `select count(*)::int as n from audit_log where site_id = $1 and actor = 'gateway:stripe' and to_state is null`, [
        o.siteId,
      ]),
    ).toEqual([{ n: 0 }]);
  });
});
