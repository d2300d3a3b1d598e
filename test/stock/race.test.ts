import type { StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { addToCart, checkout, createCart, createProduct, createSite, setDetails, type Shop } from '../support/flows';
import { spawnOnFreshDatabase, spawnServer, type ServerProcess } from '../support/server-process';
import { ownerSql } from '../support/sql';
import { setStock, stockLedgerBreaches, stockOf } from '../support/stock-ledger';

/**
 * No oversell under concurrency (README "Stock"): two built server processes on one database, shoppers spread
 * over both. Correctness rests on the reservation statement's row locks and the table's CHECKs, not on timing.
 */
let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
let servers: ServerProcess[];
let stripe: StripeSandbox;
let siteId: string;

beforeAll(async () => {
  env = await spawnOnFreshDatabase();
  stripe = env.stripe;
  const second = await spawnServer({ DATABASE_URL: env.dbUrl, STRIPE_API_BASE: stripe.url });
  servers = [env.server, second];
  siteId = await createSite(servers[0]);
}, 90_000);
afterAll(async () => {
  await servers?.[1]?.stop();
  await env?.close();
});
afterEach(async () => expect(await stockLedgerBreaches(env.dbUrl)).toEqual([]));

const shop = (i: number): Shop => servers[i % 2];

async function readyCart(i: number, lines: Array<[string, number]>) {
  const cart = await createCart(shop(i), siteId);
  for (const [productId, q] of lines) {
    const r = await addToCart(shop(i), cart.cartToken, siteId, productId, q);
    if (r.data?.addToCart.userErrors.length) throw new Error(JSON.stringify(r.data.addToCart.userErrors));
  }
  await setDetails(shop(i), cart.cartToken, siteId);
  return cart;
}

it('50 shoppers over 2 processes race for the last 5 units: exactly 5 check out, 45 get INSUFFICIENT_STOCK', async () => {
  const productId = await createProduct(servers[0], siteId, 'LAST-5', 1500);
  await setStock(servers[0], siteId, productId, 5);
  const carts = await Promise.all(Array.from({ length: 50 }, (_, i) => readyCart(i, [[productId, 1]])));

  // Sampled while the race runs: available (on hand less reserved) as the database holds it.
  let racing = true;
  const seen: number[] = [];
  const sampler = (async () => {
    while (racing) {
      const [row] = await ownerSql<{ available: number }>(
        env.dbUrl,
        `select stock_on_hand - stock_reserved as available from products where id = $1`,
        [productId],
      );
      seen.push(row.available);
    }
  })();
  const results = await Promise.all(carts.map((c, i) => checkout(shop(i), c.cartToken, siteId)));
  racing = false;
  await sampler;

  const codes = results.map((r): string => r.data!.checkout.userErrors[0]?.code ?? 'OK');
  expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
  expect(codes.filter((c) => c === 'INSUFFICIENT_STOCK')).toHaveLength(45);
  expect(results.filter((r) => r.data!.checkout.paymentSession).length).toBe(5);
  expect(seen.length).toBeGreaterThan(0);
  expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
  expect(await stockOf(env.dbUrl, productId)).toEqual({ onHand: 5, reserved: 5 });
  const [pending] = await ownerSql<{ n: number }>(
    env.dbUrl,
    `select count(*)::int as n from orders o join order_lines l on l.order_id = o.id where l.product_id = $1 and o.state = 'PENDING_PAYMENT'`,
    [productId],
  );
  expect(pending.n).toBe(5);

  // Every winner pays; all five are sold and nothing is left.
  for (const [i, r] of results.entries()) {
    const session = r.data!.checkout.paymentSession;
    if (!session) continue;
    const hook = await servers[i % 2].webhook(stripe.event('payment_intent.succeeded', stripe.succeed(session.id)));
    expect(hook.body.outcome).toBe('confirmed');
  }
  expect(await stockOf(env.dbUrl, productId)).toEqual({ onHand: 0, reserved: 0 });
}, 120_000);

it('two carts with the same two products added in opposite orders check out concurrently without deadlock, round after round', async () => {
  const x = await createProduct(servers[0], siteId, 'X', 100);
  const y = await createProduct(servers[0], siteId, 'Y', 200);
  await setStock(servers[0], siteId, x, 100);
  await setStock(servers[0], siteId, y, 100);
  for (let round = 0; round < 5; round++) {
    const one = await readyCart(0, [
      [x, 1],
      [y, 2],
    ]);
    const two = await readyCart(1, [
      [y, 2],
      [x, 1],
    ]);
    const [a, b] = await Promise.all([checkout(shop(0), one.cartToken, siteId), checkout(shop(1), two.cartToken, siteId)]);
    expect([a.data!.checkout.userErrors, b.data!.checkout.userErrors]).toEqual([[], []]);
  }
  expect(await stockOf(env.dbUrl, x)).toEqual({ onHand: 100, reserved: 10 });
  expect(await stockOf(env.dbUrl, y)).toEqual({ onHand: 100, reserved: 20 });
  for (const s of servers) expect(s.output()).not.toMatch(/deadlock/i);
}, 120_000);
