import { Client } from 'pg';
import { ProductsDocument, MeDocument } from '../../clients/generated/graphql';
import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { WEBHOOK_SECRET } from '../support/aegis';
import { withDatabase } from '../support/databases';
import { openDbState, type DbState } from '../support/db-state';
import { createProduct, createSite, pendingOrder } from '../support/flows';
import { startRestartableCluster, type RestartableCluster } from '../support/restartable-cluster';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { isCleanUnavailable, PLAIN_MESSAGE, startShoppers } from './shoppers';

/**
 * Drill: PostgreSQL restarted under a purchase load. The server runs on a cluster of its own (whatever
 * DATABASE_URL says), the cluster is stopped while shoppers buy, stays down a few seconds, and comes back on the
 * same port. Requests during the outage get clean SERVICE_UNAVAILABLE answers (webhooks 503, so the gateway
 * delivers again); the same process serves again once the database is back; nothing is left half-written, and
 * every payment the gateway captured ends CONFIRMED once its events are redelivered.
 */
const OUTAGE_MS = 3000;

let cluster: RestartableCluster;
let stripe: StripeSandbox;
let server: ServerProcess;
let db: DbState;
let ownerUrl: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The browser's confirm at the gateway, as Stripe.js sends it: publishable key, client secret, a test card. */
async function pay(session: { id: string; clientSecret: string }) {
  const res = await fetch(`${stripe.url}/v1/payment_intents/${session.id}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer pk_test_aegis', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: session.clientSecret, payment_method: 'pm_card_visa' }),
  });
  if (res.status !== 200) throw new Error(`confirm at the sandbox answered ${res.status}: ${await res.text()}`);
}

/** A server-side confirm with the secret key (no client secret needed), for the order held back. */
async function payAsServer(intentId: string) {
  const res = await fetch(`${stripe.url}/v1/payment_intents/${intentId}/confirm`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_aegis', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_method: 'pm_card_visa' }),
  });
  if (res.status !== 200) throw new Error(`confirm at the sandbox answered ${res.status}: ${await res.text()}`);
}

const jsonLines = () =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; [k: string]: unknown });

beforeAll(async () => {
  cluster = await startRestartableCluster();
  const admin = new Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database drill');
  await admin.end();
  ownerUrl = withDatabase(cluster.url, 'drill');
  // Retries close together and many of them: the outage lasts seconds, and every event must get through after it.
  stripe = await startStripeSandbox({ retry: { firstDelayMs: 100, maxDelayMs: 1000, maxAttempts: 60 } });
  server = await spawnServer({ DATABASE_URL: ownerUrl, STRIPE_API_BASE: stripe.url });
  stripe.setWebhook(`${server.url}/webhooks/stripe`, WEBHOOK_SECRET);
}, 60_000);

afterAll(async () => {
  await db?.close().catch(() => undefined);
  await server?.stop();
  await stripe?.close();
  await cluster?.close();
});

describe('PostgreSQL restarted under a purchase load', () => {
  it('answers SERVICE_UNAVAILABLE while it is down, recovers without a restart, and leaves no order half-written', async () => {
    const siteId = await createSite(server, 'Drill shop');
    const productIds: [string, string] = [
      await createProduct(server, siteId, 'DRILL-1', 1250),
      await createProduct(server, siteId, 'DRILL-2', 799),
    ];
    const token = await server.superToken();
    // Checked out now, paid at the gateway during the outage: its event must wait for the database.
    const held = await pendingOrder(server, siteId);
    const load = startShoppers({ shop: server, siteId, productIds, shoppers: 6, pay, deadline: Date.now() + 40_000 });
    await until('a few purchases before the outage', async () => load.paid.length >= 6 || load.unexpected.length > 0, 20_000);
    expect(load.unexpected).toEqual([]);

    // The outage: a fast shutdown terminates the pool's sessions (57P01), then connections are refused.
    await cluster.stop();
    const downAt = Date.now();
    await sleep(300);
    // Asked while down: a public query, an admin's (its context reads the admin: answered before execution), a webhook.
    const products = await server.op(ProductsDocument, { siteId, first: 5 });
    const me = await server.op(MeDocument, {}, { token });
    const paidIntent = stripe.paymentIntents.get(load.paid[0])!;
    const hook = await server.webhook(stripe.event('payment_intent.succeeded', paidIntent));
    await payAsServer(held.intentId);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await cluster.start();
    const upAt = Date.now();
    // The same process serves again: the pool reconnects (no restart).
    await until(
      'a query answered after the restart',
      async () => (await server.op(ProductsDocument, { siteId, first: 5 })).data?.products,
      15_000,
    );
    const recoveredMs = Date.now() - upAt;
    const paidBeforeCalm = load.paid.length;
    await until('purchases after the restart', async () => load.paid.length >= paidBeforeCalm + 6, 20_000);
    load.stop();
    await load.done;
    // Every event the gateway sent, the ones refused during the outage included, is delivered again and applied.
    await until('every delivery settled', () => Promise.race([stripe.settled().then(() => true), sleep(100).then(() => false)]), 20_000);

    // Clean answers during the outage, exactly.
    for (const r of [products, me]) expect(isCleanUnavailable(r)).toBe(true);
    expect(products.errors).toEqual([{ message: PLAIN_MESSAGE, path: ['products'], extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
    expect(me).toEqual({ status: 503, errors: [{ message: PLAIN_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    expect(hook).toEqual({ status: 503, body: { error: PLAIN_MESSAGE, code: 'SERVICE_UNAVAILABLE' } });
    expect(load.unexpected).toEqual([]);
    const refused = Object.values(load.counts).reduce((n, c) => n + c.unavailable, 0);
    expect(refused).toBeGreaterThan(0);

    // The process never died, and is ready again.
    expect(await Promise.race([server.exited.then(() => 'exited'), sleep(0).then(() => 'running')])).toBe('running');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(recoveredMs).toBeLessThan(15_000);

    // The gateway delivered every event in the end, some only after the outage (503, then 200).
    expect(stripe.deliveries.filter((d) => !d.delivered)).toEqual([]);
    const heldEvent = stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === held.intentId,
    );
    expect(stripe.deliveries.find((d) => d.eventId === heldEvent?.id)).toMatchObject({ delivered: true, lastStatus: 200 });
    expect(stripe.deliveries.find((d) => d.eventId === heldEvent?.id)!.attempts).toBeGreaterThan(1);

    // Opened now: a session of its own would have been terminated by the restart.
    db = await openDbState(ownerUrl);
    // Nothing half-written: totals equal the lines; a pending order has a current attempt with an intent; a
    // confirmed one exactly one succeeded attempt of its total.
    const orders = await db.query<{
      id: string;
      state: string;
      total_minor: number;
      lines_total: string | null;
      line_count: number;
      lines: string;
    }>(
      `select o.id, o.state, o.total_minor, o.line_count,
              (select sum(l.quantity * l.unit_price_minor) from order_lines l where l.order_id = o.id) as lines_total,
              (select count(*) from order_lines l where l.order_id = o.id) as lines
         from orders o`,
    );
    expect(orders.filter((o) => Number(o.lines_total ?? 0) !== o.total_minor || Number(o.lines) !== o.line_count)).toEqual([]);
    const pendingWithoutIntent = await db.query(
      `select o.id from orders o left join payment_attempts a on a.id = o.current_attempt_id
        where o.state = 'PENDING_PAYMENT' and (a.id is null or a.status <> 'PENDING' or a.intent_id is null)`,
    );
    expect(pendingWithoutIntent).toEqual([]);
    const confirmedBadly = await db.query(
      `select o.id from orders o
        where o.state = 'CONFIRMED' and 1 <> (select count(*) from payment_attempts a
          where a.order_id = o.id and a.status = 'SUCCEEDED' and a.intent_id is not null and a.amount_minor = o.total_minor)`,
    );
    expect(confirmedBadly).toEqual([]);

    // Every intent the gateway captured is a CONFIRMED order, and every paid purchase is one of them.
    const captured = [...stripe.paymentIntents.values()].filter((pi) => pi.status === 'succeeded');
    const confirmed = await db.query<{ intent_id: string }>(
      `select a.intent_id from orders o join payment_attempts a on a.order_id = o.id and a.status = 'SUCCEEDED' where o.state = 'CONFIRMED'`,
    );
    expect(confirmed.map((r) => r.intent_id).sort()).toEqual(captured.map((pi) => pi.id).sort());
    expect(captured.map((pi) => pi.id).sort()).toEqual([...load.paid, held.intentId].sort());

    // One line at error per refused request, naming the driver's reason, never a stack; no failure logged as a bug.
    const lines = jsonLines();
    expect(lines.filter((l) => l.msg === 'resolver failed' || l.msg === 'request failed')).toEqual([]);
    const outage = lines.filter((l) => /database unreachable/.test(l.msg));
    expect(outage.length).toBeGreaterThan(0);
    expect(outage.filter((l) => l.level !== 50 || 'err' in l || typeof l.reason !== 'string')).toEqual([]);
    expect(server.errors()).toBe('');
  }, 60_000);
});
