import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { createTestDatabase } from '../support/databases';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, setDetails } from '../support/flows';
import { startHangingProxy, type HangingProxy } from '../support/hanging-proxy';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { ownerSql } from '../support/sql';

/**
 * Drill: the payment gateway's API hangs during checkout. A loopback proxy in front of the sandbox holds the
 * first PaymentIntent creations without an answer. Checkout must answer within STRIPE_TIMEOUT_MS (and some
 * slack) with a clean refusal, leave the order PENDING_PAYMENT, and a later checkout must create the intent with
 * the same idempotency key: one intent at the gateway, not two.
 */
const TIMEOUT_MS = 1500;
/** Generous: a loaded 2-core machine; a checkout that waited for a second timeout would still fail it. */
const SLACK_MS = 2500;

let db: { url: string; drop(): Promise<void> };
let stripe: StripeSandbox;
let proxy: HangingProxy;
let server: ServerProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  stripe = await startStripeSandbox();
  proxy = await startHangingProxy(stripe.url);
  server = await spawnServer({ DATABASE_URL: db.url, STRIPE_API_BASE: proxy.url, STRIPE_TIMEOUT_MS: String(TIMEOUT_MS) });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await stripe?.close();
  await db?.drop();
});

const CREATE_INTENT = { method: 'POST', path: /^\/v1\/payment_intents$/ };

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('the payment gateway hanging during checkout', () => {
  it('answers PAYMENT_GATEWAY_ERROR within STRIPE_TIMEOUT_MS, keeps the order PENDING_PAYMENT, and checkout again creates one intent', async () => {
    const siteId = await createSite(server, 'Hang shop');
    const productId = await createProduct(server, siteId, 'HANG-1', 1999);
    const { cartToken, orderId } = await createCart(server, siteId);
    await addToCart(server, cartToken, siteId, productId, 2);
    await setDetails(server, cartToken, siteId);
    proxy.hangNext(CREATE_INTENT, 2);

    // Twice: the gateway still silent on the second try, the checkout is refused the same way, as quickly.
    for (const hung of [1, 2]) {
      const { value: r, ms } = await timed(() => checkout(server, cartToken, siteId));
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      expect(r.data!.checkout).toMatchObject({
        order: { id: orderId, state: 'PENDING_PAYMENT', paymentSession: null },
        paymentSession: null,
        userErrors: [{ code: 'PAYMENT_GATEWAY_ERROR', message: 'The payment could not be started; try checkout again', field: null }],
      });
      expect(proxy.hung).toHaveLength(hung);
    }
    // Nothing reached the gateway, and the order waits with one attempt and no intent.
    expect(stripe.paymentIntents.size).toBe(0);
    const [key] = new Set(proxy.hung.map((h) => h.idempotencyKey));
    expect(proxy.hung.map((h) => h.idempotencyKey)).toEqual([key, key]);
    const attempts = await ownerSql(db.url, `select idempotency_key, intent_id, status from payment_attempts where order_id = $1`, [
      orderId,
    ]);
    expect(attempts).toEqual([{ idempotency_key: key, intent_id: null, status: 'PENDING' }]);
    const [order] = await ownerSql(db.url, `select state from orders where id = $1`, [orderId]);
    expect(order.state).toBe('PENDING_PAYMENT');

    // The gateway answers again: the same checkout, the same key, one intent.
    const again = await checkout(server, cartToken, siteId);
    expect(again.data!.checkout.userErrors).toEqual([]);
    const session = again.data!.checkout.paymentSession!;
    expect([...stripe.paymentIntents.keys()]).toEqual([session.id]);
    expect(stripe.paymentIntents.get(session.id)).toMatchObject({ amount: 3998, currency: 'eur', metadata: { order_id: orderId } });
    expect(stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents')).toEqual([
      expect.objectContaining({ idempotencyKey: key, status: 200 }),
    ]);
    expect(await ownerSql(db.url, `select intent_id from payment_attempts where order_id = $1`, [orderId])).toEqual([
      { intent_id: session.id },
    ]);
    // And the storefront sees the session it can pay with.
    expect((await getCart(server, cartToken, siteId)).data!.cart).toMatchObject({
      state: 'PENDING_PAYMENT',
      paymentSession: { id: session.id },
    });

    // The timeout is logged as the gateway's fault, one line per call, and nothing was logged as a bug.
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"payment gateway call failed"'));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => /timeout/i.test(l))).toBe(true);
    expect(server.output()).not.toContain('resolver failed');
  }, 60_000);
});
