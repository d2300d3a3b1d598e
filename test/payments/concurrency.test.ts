import PgBoss from 'pg-boss';
import { expireOrders } from '../../src/domain/order/commands/expire-orders';
import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { EXPIRE_ORDERS_QUEUE } from '../../src/jobs/expiry-job';
import { JOB_SCHEMA } from '../../src/jobs/jobs';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createTestDatabase } from '../support/databases';
import { addToCart, checkout, createCart, createProduct, createSite, pendingOrder, setDetails } from '../support/flows';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { attemptsOf, failedOrder, retryPayment, sql, transitionsOf, waitForJob } from './support';

describe('two server processes on one database', () => {
  let db: { url: string; drop(): Promise<void> };
  let stripe: StripeSandbox;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    stripe = await startStripeSandbox();
    const env = { DATABASE_URL: db.url, STRIPE_API_BASE: stripe.url, EXPIRY_JOB_CRON: 'off' };
    // One after the other: the first bootstraps the super admin.
    a = await spawnServer(env);
    b = await spawnServer(env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await stripe.close();
    await db.drop();
  });

  it('20 concurrent deliveries of one event: every one answered 2xx, exactly one transition and one audit entry per step', async () => {
    const o = await pendingOrder(a);
    const event = stripe.event('payment_intent.succeeded', stripe.succeed(o.intentId));
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).webhook(event)));

    expect(replies.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    const outcomes = replies.map((r) => r.body.outcome).sort();
    expect(outcomes).toEqual(['confirmed', ...Array(19).fill('duplicate')]);
    expect(await transitionsOf({ dbUrl: db.url }, o.orderId)).toEqual([
      '->DRAFT',
      'DRAFT>PENDING_PAYMENT',
      'PENDING_PAYMENT>PAYMENT_AUTHORIZED',
      'PAYMENT_AUTHORIZED>CONFIRMED',
    ]);
    expect(await sql(db.url, `select count(*)::int as n from webhook_events where id = $1`, [event.id])).toEqual([{ n: 1 }]);
    // Nothing else was written for the event: no unmatched or needsRefund entry from a losing delivery.
    expect(await sql(db.url, `select action from audit_log where detail like $1 order by at, id`, [`%${event.id}%`])).toEqual([
      { action: 'order.paymentAuthorized' },
      { action: 'order.confirm' },
    ]);
    // Each process handled its ten deliveries.
    const handled = (p: ServerProcess) =>
      p
        .output()
        .split('\n')
        .filter((l) => l.includes(event.id) && l.includes('gateway event handled')).length;
    expect([handled(a), handled(b)]).toEqual([10, 10]);
  });

  it('the expiry job runs in exactly one process, once, however many ask for it', async () => {
    const orders = [await pendingOrder(a), await pendingOrder(b)];
    // These processes use the real clock: age the orders instead.
    await sql(db.url, `update payment_attempts set created_at = now() - interval '25 hours' where order_id = any($1)`, [
      orders.map((o) => o.orderId),
    ]);

    const boss = new PgBoss({ connectionString: db.url, schema: JOB_SCHEMA, supervise: false, schedule: false });
    await boss.start();
    // Five connections open first, so the five asks below really come at once: spread out by connection set-up on a
    // loaded machine, a worker could take the first job between two of them and a second would rightly queue.
    await Promise.all(Array.from({ length: 5 }, () => boss.getDb().executeSql('select pg_sleep(0.05)', [])));
    const ids = await Promise.all(Array.from({ length: 5 }, () => boss.send(EXPIRE_ORDERS_QUEUE, {})));
    await boss.stop({ graceful: false });
    const queued = ids.filter((id): id is string => id !== null);
    expect(queued).toHaveLength(1);
    expect(await waitForJob(db.url, queued[0])).toBe('completed');

    const runs = [a, b].map(
      (p) =>
        p
          .output()
          .split('\n')
          .filter((l) => l.includes('order expiry run done')).length,
    );
    expect(runs.sort()).toEqual([0, 1]);
    for (const o of orders) {
      expect(
        await sql(db.url, `select count(*)::int as n from audit_log where entity_id = $1 and to_state = 'EXPIRED'`, [o.orderId]),
      ).toEqual([{ n: 1 }]);
      expect(stripe.paymentIntents.get(o.intentId)!.status).toBe('canceled');
    }
  });
});

describe('races inside one process', () => {
  const clock = new TestClock();
  let t: TestAegis;
  beforeAll(async () => {
    t = await startTestAegis({ clock, env: { EXPIRY_JOB_CRON: 'off', TOKEN_TTL_SECONDS: String(365 * 24 * 3600) } });
  });
  afterAll(() => t.close());

  it('checkout against checkout: one attempt, one PaymentIntent, the same session for every caller', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'RACE', 990);
    const cart = await createCart(t, siteId);
    await addToCart(t, cart.cartToken, siteId, p, 1);
    await setDetails(t, cart.cartToken, siteId);
    const replies = await Promise.all(Array.from({ length: 10 }, () => checkout(t, cart.cartToken, siteId)));
    expect(replies.map((r) => r.data!.checkout.userErrors)).toEqual(Array(10).fill([]));
    const sessions = new Set(replies.map((r) => r.data!.checkout.paymentSession!.id));
    expect(sessions.size).toBe(1);
    expect(await attemptsOf(t, cart.orderId)).toHaveLength(1);
    expect([...t.stripe.paymentIntents.values()].filter((pi) => pi.metadata.order_id === cart.orderId)).toHaveLength(1);
    expect(await transitionsOf(t, cart.orderId)).toEqual(['->DRAFT', 'DRAFT>PENDING_PAYMENT']);
  });

  it('retryPayment against a late succeeded for the superseded attempt: never CONFIRMED by it, and its money flagged', async () => {
    for (let round = 0; round < 5; round++) {
      const o = await failedOrder(t);
      const late = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(o.intentId));
      const [retried, hook] = await Promise.all([retryPayment(t, o.cartToken, o.siteId, o.orderId), t.webhook(late)]);

      expect(hook).toEqual({ status: 200, body: { received: true, outcome: 'unmatched' } });
      expect(retried.data!.retryPayment.userErrors).toEqual([]);
      expect(retried.data!.retryPayment.order!.state).toBe('PENDING_PAYMENT');
      const attempts = await attemptsOf(t, o.orderId);
      expect(attempts.map((x) => [x.status, x.needs_refund])).toEqual([
        ['SUCCEEDED', true],
        ['PENDING', false],
      ]);
      expect(await transitionsOf(t, o.orderId)).toEqual([
        '->DRAFT',
        'DRAFT>PENDING_PAYMENT',
        'PENDING_PAYMENT>PAYMENT_FAILED',
        'PAYMENT_FAILED>PENDING_PAYMENT',
      ]);
    }
  });

  it('two expiry runs at once expire each due order exactly once', async () => {
    const due = [await failedOrder(t), await pendingOrder(t), await failedOrder(t)];
    clock.advance(25 * 3600 * 1000);
    // Every unfinished order of this database is due now, the earlier tests' included.
    const [{ n: dueCount }] = await sql(
      t.dbUrl,
      `select count(*)::int as n from orders where state in ('PENDING_PAYMENT', 'PAYMENT_FAILED')`,
    );
    const { deps, db } = t.aegis;
    const policy = { draftTtlMs: 30 * 24 * 3600 * 1000 }; // the default: no cart here is abandoned yet
    const [one, two] = await Promise.all([expireOrders(db.orm.em.fork(), deps, policy), expireOrders(db.orm.em.fork(), deps, policy)]);
    expect(one.failed + two.failed).toBe(0);
    for (const o of due) {
      expect(
        await sql(t.dbUrl, `select count(*)::int as n from audit_log where entity_id = $1 and to_state = 'EXPIRED'`, [o.orderId]),
      ).toEqual([{ n: 1 }]);
    }
    expect(one.expired + two.expired).toBe(dueCount);
    expect(await sql(t.dbUrl, `select count(*)::int as n from orders where state in ('PENDING_PAYMENT', 'PAYMENT_FAILED')`)).toEqual([
      { n: 0 },
    ]);
  });
});
