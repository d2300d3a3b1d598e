import {
  AdjustStockDocument,
  RefundAndRestockDocument,
  RefundOrderDocument,
  StockLedgerDocument,
  UpdateCartLineDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, setDetails } from '../support/flows';
import { setStock, stockLedgerBreaches, stockOf } from '../support/stock-ledger';
import { attemptsOf, declined, orderState, paid, retryPayment, runExpiryJob, sql } from '../payments/support';

/** Tracked stock through the API (README "Stock"): carts see it, checkout reserves it, confirm sells it, expiry releases it. */
const DAY = 24 * 3600 * 1000;
const clock = new TestClock();
let t: TestAegis;
let siteId: string;

beforeAll(async () => {
  t = await startTestAegis({ clock, env: { EXPIRY_JOB_CRON: 'off' } });
  siteId = await createSite(t);
});
afterAll(() => t.close());
// Every test here moves stock: the ledger's sums are the columns after each.
afterEach(async () => expect(await stockLedgerBreaches(t.dbUrl)).toEqual([]));

let n = 0;
async function trackedProduct(onHand: number | null, price = 1000) {
  const productId = await createProduct(t, siteId, `STK-${++n}`, price);
  if (onHand !== null) await setStock(t, siteId, productId, onHand);
  return productId;
}

async function cartWith(lines: Array<[string, number]>) {
  const cart = await createCart(t, siteId);
  for (const [productId, q] of lines)
    expect((await addToCart(t, cart.cartToken, siteId, productId, q)).data!.addToCart.userErrors).toEqual([]);
  await setDetails(t, cart.cartToken, siteId);
  return cart;
}

const movementsOf = async (productId: string) =>
  (
    await sql(
      t.dbUrl,
      `select kind, on_hand_delta, reserved_delta, order_id from stock_movements where product_id = $1 order by at, kind`,
      [productId],
    )
  ).map((m) => `${m.kind} ${m.on_hand_delta}/${m.reserved_delta}`);

describe('an untracked product', () => {
  it('sells as before: no limit, nothing reserved, no ledger rows', async () => {
    const productId = await trackedProduct(null);
    const cart = await cartWith([[productId, 500]]);
    const r = await checkout(t, cart.cartToken, siteId);
    expect(r.data!.checkout.userErrors).toEqual([]);
    expect(await stockOf(t.dbUrl, productId)).toEqual({ onHand: null, reserved: 0 });
    expect(await movementsOf(productId)).toEqual([]);
    expect((await getCart(t, cart.cartToken, siteId)).data!.cart!.lines[0].available).toBeNull();
  });
});

describe('the cart', () => {
  it('refuses quantities above what is available, with the available quantity, and shows it per line', async () => {
    const productId = await trackedProduct(3);
    const cart = await createCart(t, siteId);
    const over = await addToCart(t, cart.cartToken, siteId, productId, 4);
    expect(over.data!.addToCart.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', message: expect.stringContaining('Only 3 of') as string, field: ['quantity'] },
    ]);
    const added = await addToCart(t, cart.cartToken, siteId, productId, 2);
    expect(added.data!.addToCart.order!.lines).toEqual([expect.objectContaining({ quantity: 2, available: 3 })]);
    // Adding more to the same line counts the line's whole quantity.
    expect((await addToCart(t, cart.cartToken, siteId, productId, 2)).data!.addToCart.userErrors[0].code).toBe('INSUFFICIENT_STOCK');
    const lineId = added.data!.addToCart.order!.lines[0].id;
    const raised = await t.op(UpdateCartLineDocument, { siteId, lineId, quantity: 4 }, { cartToken: cart.cartToken });
    expect(raised.data!.updateCartLine.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', message: expect.stringContaining('Only 3 of') as string, field: ['quantity'] },
    ]);
    const lowered = await t.op(UpdateCartLineDocument, { siteId, lineId, quantity: 1 }, { cartToken: cart.cartToken });
    expect(lowered.data!.updateCartLine.order!.lines[0].quantity).toBe(1);
    // A cart reserves nothing.
    expect(await stockOf(t.dbUrl, productId)).toEqual({ onHand: 3, reserved: 0 });
  });
});

describe('checkout', () => {
  it('reserves every tracked line in the move to PENDING_PAYMENT; CONFIRMED turns it into a sale', async () => {
    const a = await trackedProduct(5);
    const b = await trackedProduct(2);
    const untracked = await trackedProduct(null);
    const cart = await cartWith([
      [a, 3],
      [b, 2],
      [untracked, 1],
    ]);
    const r = await checkout(t, cart.cartToken, siteId);
    expect(r.data!.checkout.userErrors).toEqual([]);
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 5, reserved: 3 });
    expect(await stockOf(t.dbUrl, b)).toEqual({ onHand: 2, reserved: 2 });
    // Checking out again (a lost answer) reserves nothing more.
    expect((await checkout(t, cart.cartToken, siteId)).data!.checkout.userErrors).toEqual([]);
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 5, reserved: 3 });

    expect((await paid(t, r.data!.checkout.paymentSession!.id)).body.outcome).toBe('confirmed');
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 2, reserved: 0 });
    expect(await stockOf(t.dbUrl, b)).toEqual({ onHand: 0, reserved: 0 });
    expect(await movementsOf(a)).toEqual(['ADJUSTMENT 5/0', 'RESERVATION 0/3', 'SALE -3/-3']);
  });

  it('refuses with INSUFFICIENT_STOCK when any line is short, and reserves nothing (no attempt, still DRAFT)', async () => {
    const a = await trackedProduct(5);
    const b = await trackedProduct(2);
    const cart = await cartWith([
      [a, 1],
      [b, 2],
    ]);
    // Someone else takes a unit of b between the cart and its checkout.
    const other = await cartWith([[b, 1]]);
    expect((await checkout(t, other.cartToken, siteId)).data!.checkout.userErrors).toEqual([]);

    const r = await checkout(t, cart.cartToken, siteId);
    expect(r.data!.checkout.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', message: `only 1 available of product ${b} (2 in the cart)`, field: ['lines'] },
    ]);
    expect(r.data!.checkout.paymentSession).toBeNull();
    expect(await orderState(t, cart.orderId)).toBe('DRAFT');
    expect(await attemptsOf(t, cart.orderId)).toEqual([]);
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 5, reserved: 0 });
    expect(await stockOf(t.dbUrl, b)).toEqual({ onHand: 2, reserved: 1 });
  });

  it('holds the reservation through a failed payment and its retry (never twice), and expiry releases it', async () => {
    const a = await trackedProduct(4);
    const cart = await cartWith([[a, 3]]);
    const r = await checkout(t, cart.cartToken, siteId);
    expect((await declined(t, r.data!.checkout.paymentSession!.id)).body.outcome).toBe('failed');
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 4, reserved: 3 });
    expect((await retryPayment(t, cart.cartToken, siteId, cart.orderId)).data!.retryPayment.userErrors).toEqual([]);
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 4, reserved: 3 });

    clock.advance(DAY + 60_000);
    expect(await runExpiryJob(t)).toBe('completed');
    expect(await orderState(t, cart.orderId)).toBe('EXPIRED');
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 4, reserved: 0 });
    expect(await movementsOf(a)).toEqual(['ADJUSTMENT 4/0', 'RESERVATION 0/3', 'RELEASE 0/-3']);
  });
});

describe('checkout racing expiry', () => {
  it('keeps the ledger consistent: what expiry releases, concurrent checkouts may reserve, never more', async () => {
    const a = await trackedProduct(3);
    // The waiting shoppers fill their carts while the units are free; then one order holds all three.
    const waiting = await Promise.all([1, 2, 3, 4, 5].map(() => cartWith([[a, 1]])));
    const holder = await cartWith([[a, 3]]);
    expect((await checkout(t, holder.cartToken, siteId)).data!.checkout.userErrors).toEqual([]);
    clock.advance(DAY + 60_000);

    const [job, ...results] = await Promise.all([runExpiryJob(t), ...waiting.map((c) => checkout(t, c.cartToken, siteId))]);
    expect(job).toBe('completed');
    expect(await orderState(t, holder.orderId)).toBe('EXPIRED');
    const won = results.filter((r) => r.data!.checkout.userErrors.length === 0).length;
    expect(results.every((r) => ['INSUFFICIENT_STOCK', undefined].includes(r.data!.checkout.userErrors[0]?.code))).toBe(true);
    expect(won).toBeLessThanOrEqual(3);
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 3, reserved: won });
  });
});

describe('the admin', () => {
  it('sets and adjusts stock with a reason (one ledger row each, audited), never below what checkouts hold', async () => {
    const a = await trackedProduct(2);
    const token = await t.superToken();
    const adjust = (delta: number) => t.op(AdjustStockDocument, { siteId, productId: a, delta, reason: 'delivery' }, { token });
    expect((await adjust(3)).data!.adjustStock.product).toMatchObject({ stockOnHand: 5, available: 5 });
    const cart = await cartWith([[a, 4]]);
    expect((await checkout(t, cart.cartToken, siteId)).data!.checkout.userErrors).toEqual([]);
    expect((await adjust(-2)).data!.adjustStock.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', message: 'Checkouts hold 4: on hand cannot be 3', field: ['delta'] },
    ]);
    expect((await adjust(-1)).data!.adjustStock.product).toMatchObject({ stockOnHand: 4, available: 0 });
    await expect(setStock(t, siteId, a, null)).rejects.toThrow(/CONFLICT/);

    const untracked = await trackedProduct(null);
    const r = await t.op(AdjustStockDocument, { siteId, productId: untracked, delta: 1, reason: 'x' }, { token });
    expect(r.data!.adjustStock.userErrors[0].code).toBe('VALIDATION');
    expect(
      await sql(t.dbUrl, `select action, reason from audit_log where entity_id = $1 order by at`, [a]).then((rows) =>
        rows.map((x) => x.action),
      ),
    ).toEqual(['product.create', 'product.setStock', 'product.adjustStock', 'product.adjustStock']);

    const ledger = await t.op(StockLedgerDocument, { siteId, first: 50, movements: 5 }, { token });
    const node = ledger.data!.products.edges.find((e) => e.node.id === a)!.node;
    // The test clock stands still here: rows of one instant come in id order, so compare them as a set.
    expect(node.stockMovements.edges.map((e) => `${e.node.kind} ${e.node.onHandDelta}/${e.node.reservedDelta}`).sort()).toEqual([
      'ADJUSTMENT -1/0',
      'ADJUSTMENT 2/0',
      'ADJUSTMENT 3/0',
      'RESERVATION 0/4',
    ]);
  });

  it('keeps the ledger from shoppers', async () => {
    const { cartToken } = await createCart(t, siteId);
    const r = await t.op(StockLedgerDocument, { siteId }, { cartToken });
    expect(r.errors?.[0].message).toMatch(/Authentication required|Not allowed/);
  });

  it('restocks a refunded order only when asked', async () => {
    const a = await trackedProduct(3);
    const token = await t.superToken();
    const sell = async () => {
      const cart = await cartWith([[a, 1]]);
      const r = await checkout(t, cart.cartToken, siteId);
      expect((await paid(t, r.data!.checkout.paymentSession!.id)).body.outcome).toBe('confirmed');
      return cart.orderId;
    };
    const kept = await sell();
    const returned = await sell();
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 1, reserved: 0 });
    expect((await t.op(RefundOrderDocument, { siteId, orderId: kept, reason: 'damaged' }, { token })).data!.refundOrder.order!.state).toBe(
      'REFUNDED',
    );
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 1, reserved: 0 });
    const r = await t.op(RefundAndRestockDocument, { siteId, orderId: returned, reason: 'returned unopened' }, { token });
    expect(r.data!.refundOrder.order!.state).toBe('REFUNDED');
    expect(await stockOf(t.dbUrl, a)).toEqual({ onHand: 2, reserved: 0 });
    const [entry] = await sql(t.dbUrl, `select detail from audit_log where entity_id = $1 and action = 'order.refund'`, [returned]);
    expect(JSON.parse(entry.detail as string)).toEqual({ restock: true });
  });
});
