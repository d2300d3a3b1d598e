import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  CustomerCartDocument,
  SetCheckoutDetailsDocument,
} from '../../clients/generated/graphql';
import type { CustomerActor } from '../../src/domain/actor';
import { hashCartToken } from '../../src/domain/order/cart';
import { takeOverGuestCart } from '../../src/domain/order/commands/take-over-guest-cart';
import { startTestAegis, type TestAegis } from '../support/aegis';
import {
  ADDRESS,
  addToCart,
  createCart,
  createProduct,
  createSite,
  getCart,
  pendingOrder,
  setDetails,
  signedInCustomer,
} from '../support/flows';
import { ownerSql } from '../support/sql';
import { customerAccount, loginCustomer } from './accounts-support';

/**
 * The merge at login (takeOverGuestCart, which login calls with the X-Cart-Token sent beside the credentials):
 * merged into the customer's open cart, or adopted; never a cart at checkout; the guest token stops for a merged cart.
 */
let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

const em = () => t.aegis.db.orm.em.fork() as EntityManager;
const takeOver = (customer: CustomerActor, cartToken: string) => takeOverGuestCart(em(), t.aegis.deps, customer, hashCartToken(cartToken));

/** The customer checks out the cart they hold (from any device). */
async function customerCheckout(siteId: string, c: { token: string; email: string }) {
  await t.op(
    SetCheckoutDetailsDocument,
    { siteId, input: { email: c.email, shippingAddress: ADDRESS, billingAddress: ADDRESS } },
    { token: c.token },
  );
  return t.op(CheckoutDocument, { siteId }, { token: c.token });
}

async function customerCart(siteId: string, token: string, products: string[], quantities: number[]) {
  const id = (await t.op(CreateCartDocument, { siteId }, { token })).data!.createCart.order!.id;
  for (const [i, productId] of products.entries()) await t.op(AddToCartDocument, { siteId, productId, quantity: quantities[i] }, { token });
  return id;
}

const auditOf = (orderId: string, action: string) =>
  ownerSql(t.dbUrl, `select actor, detail, from_state, to_state, reason from audit_log where entity_id = $1 and action = $2`, [
    orderId,
    action,
  ]);

describe('the merge at login', () => {
  it('runs through customerLogin: the cart token sent beside the credentials is merged into the open cart', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'LOGIN', 100);
    const account = await customerAccount(t, siteId);
    const mine = await customerCart(siteId, account.token, [p], [1]);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 5);

    const login = await loginCustomer(t, siteId, account.email, undefined, { cartToken: guest.cartToken });
    expect(login.data!.customerLogin.cart).toMatchObject({ id: mine, lines: [{ quantity: 6 }] });
    expect((await getCart(t, guest.cartToken, siteId)).data!.cart).toBeNull();
  });

  it("adds the guest's quantities to the customer's open cart, capped at 1000 a line; the guest cart expires and its token stops", async () => {
    const siteId = await createSite(t);
    const p1 = await createProduct(t, siteId, 'M1', 100);
    const p2 = await createProduct(t, siteId, 'M2', 250);
    const c = await signedInCustomer(t, siteId);
    const mine = await customerCart(siteId, c.token, [p1], [600]);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p1, 700);
    await addToCart(t, guest.cartToken, siteId, p2, 3);
    await setDetails(t, guest.cartToken, siteId);

    const taken = await takeOver(c.actor, guest.cartToken);
    expect(taken).toMatchObject({ ok: true, value: { id: mine } });

    const cart = (await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!;
    expect(cart.id).toBe(mine);
    const qty = Object.fromEntries(cart.lines.map((l) => [l.product.id, [l.quantity, l.unitPriceMinor]]));
    expect(qty).toEqual({ [p1]: [1000, 100], [p2]: [3, 250] });
    expect(cart.totalMinor).toBe(1000 * 100 + 3 * 250);
    // Details the customer's cart lacked come from the guest's.
    expect(cart.email).toBe('ada@example.com');

    // The guest's cart: EXPIRED by the customer, with the reason, and its token finds nothing any more.
    const [guestRow] = await ownerSql(t.dbUrl, `select state, customer_id, cart_token_hash from orders where id = $1`, [guest.orderId]);
    expect(guestRow).toMatchObject({ state: 'EXPIRED', customer_id: null });
    expect(guestRow.cart_token_hash).not.toBe(hashCartToken(guest.cartToken));
    expect((await getCart(t, guest.cartToken, siteId)).data!.cart).toBeNull();
    const late = await addToCart(t, guest.cartToken, siteId, p1, 1);
    expect(late.data!.addToCart.userErrors[0].code).toBe('NOT_FOUND');

    expect(await auditOf(guest.orderId, 'order.mergeCart')).toEqual([
      {
        actor: `customer:${c.customerId}`,
        from_state: 'DRAFT',
        to_state: 'EXPIRED',
        reason: "merged into the customer's cart",
        detail: JSON.stringify({ into: mine }),
      },
    ]);
    const [merged] = await auditOf(mine, 'cart.merged');
    expect(merged.actor).toBe(`customer:${c.customerId}`);
    expect(JSON.parse(merged.detail)).toEqual({
      from: guest.orderId,
      lines: expect.arrayContaining([
        { productId: p1, guest: 700, before: 600, after: 1000 },
        { productId: p2, guest: 3, before: 0, after: 3 },
      ]),
      dropped: [],
    });
  });

  it('leaves out what would pass the 100-line bound, and names it in the audit entry', async () => {
    const siteId = await createSite(t);
    const c = await signedInCustomer(t, siteId);
    const mine = (await t.op(CreateCartDocument, { siteId }, { token: c.token })).data!.createCart.order!.id;
    // A full cart of 100 lines, written as the owner (100 adds through the API say nothing more).
    await ownerSql(
      t.dbUrl,
      `with p as (insert into products (id, site_id, sku, name, price_minor, currency, created_at)
                  select gen_random_uuid(), $1, 'FULL-' || i, 'Full ' || i, 1, 'EUR', now() from generate_series(1, 100) i returning id)
       insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) select gen_random_uuid(), $1, $2, id, 1, 1 from p`,
      [siteId, mine],
    );
    await ownerSql(t.dbUrl, `update orders set line_count = 100, total_minor = 100 where id = $1`, [mine]);
    const [held] = await ownerSql(t.dbUrl, `select product_id from order_lines where order_id = $1 limit 1`, [mine]);
    const extra = await createProduct(t, siteId, 'EXTRA', 5);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, extra, 2);
    await addToCart(t, guest.cartToken, siteId, held.product_id, 4);

    expect((await takeOver(c.actor, guest.cartToken)).ok).toBe(true);
    const [row] = await ownerSql(t.dbUrl, `select line_count, total_minor from orders where id = $1`, [mine]);
    expect(row).toEqual({ line_count: 100, total_minor: 104 });
    const [merged] = await auditOf(mine, 'cart.merged');
    expect(JSON.parse(merged.detail)).toMatchObject({
      lines: [{ productId: held.product_id, guest: 4, before: 1, after: 5 }],
      dropped: [extra],
    });
  });

  it('adopts the guest cart when the customer has no open cart: the same browser token keeps working', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'ADOPT', 300);
    const c = await signedInCustomer(t, siteId);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 2);

    const taken = await takeOver(c.actor, guest.cartToken);
    expect(taken).toMatchObject({ ok: true, value: { id: guest.orderId, customerId: c.customerId } });
    expect((await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart).toMatchObject({
      id: guest.orderId,
      state: 'DRAFT',
    });
    expect((await addToCart(t, guest.cartToken, siteId, p, 1)).data!.addToCart.order).toMatchObject({ id: guest.orderId, totalMinor: 900 });
    const [adopted] = await auditOf(guest.orderId, 'cart.adopted');
    expect(adopted).toMatchObject({ actor: `customer:${c.customerId}`, from_state: null, to_state: null });
    expect(JSON.parse(adopted.detail)).toEqual({ lines: [{ productId: p, quantity: 2 }] });
    // Adopted once: a second login with the same token takes nothing over.
    expect(await takeOver(c.actor, guest.cartToken)).toEqual({ ok: true, value: null });
  });

  it("adopts over an order already at checkout, and that cart is then the customer's cart", async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'OVER', 100);
    const c = await signedInCustomer(t, siteId);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 1);
    // Later, on another device, the customer checks out a cart of their own.
    await customerCart(siteId, c.token, [p], [1]);
    expect((await customerCheckout(siteId, c)).data!.checkout.order!.state).toBe('PENDING_PAYMENT');

    expect(await takeOver(c.actor, guest.cartToken)).toMatchObject({ ok: true, value: { id: guest.orderId } });
    expect((await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!.id).toBe(guest.orderId);
  });

  it('never merges or adopts a cart already at checkout, nor a guest cart of another site', async () => {
    const siteId = await createSite(t);
    const other = await createSite(t, 'Other');
    const c = await signedInCustomer(t, siteId);
    const mine = await customerCart(siteId, c.token, [], []);
    const pending = await pendingOrder(t, siteId);
    expect(await takeOver(c.actor, pending.cartToken)).toEqual({ ok: true, value: null });
    expect((await getCart(t, pending.cartToken, siteId)).data!.cart).toMatchObject({ id: pending.orderId, state: 'PENDING_PAYMENT' });
    const [row] = await ownerSql(t.dbUrl, `select customer_id from orders where id = $1`, [pending.orderId]);
    expect(row.customer_id).toBeNull();

    const far = await createCart(t, other);
    expect(await takeOver(c.actor, far.cartToken)).toEqual({ ok: true, value: null });
    expect((await getCart(t, far.cartToken, other)).data!.cart!.state).toBe('DRAFT');
    expect(
      await ownerSql(t.dbUrl, `select 1 from audit_log where action like 'cart.%' and entity_id in ($1, $2, $3)`, [
        mine,
        pending.orderId,
        far.orderId,
      ]),
    ).toEqual([]);
  });

  it("never takes another customer's cart", async () => {
    const siteId = await createSite(t);
    const a = await signedInCustomer(t, siteId);
    const b = await signedInCustomer(t, siteId);
    const created = (await t.op(CreateCartDocument, { siteId }, { token: a.token })).data!.createCart;
    expect(await takeOver(b.actor, created.cartToken!)).toEqual({ ok: true, value: null });
    const [row] = await ownerSql(t.dbUrl, `select customer_id, state from orders where id = $1`, [created.order!.id]);
    expect(row).toEqual({ customer_id: a.customerId, state: 'DRAFT' });
  });

  it('queues two logins racing over the same carts: no deadlock, the guest quantities added once', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'RACE', 10);
    for (let round = 0; round < 5; round++) {
      const c = await signedInCustomer(t, siteId);
      const mine = await customerCart(siteId, c.token, [p], [1]);
      const g1 = await createCart(t, siteId);
      const g2 = await createCart(t, siteId);
      await addToCart(t, g1.cartToken, siteId, p, 2);
      await addToCart(t, g2.cartToken, siteId, p, 4);
      // Two logins with the same guest token, and one with another guest token, into the same customer cart at once.
      const results = await Promise.all([
        takeOver(c.actor, g1.cartToken),
        takeOver(c.actor, g1.cartToken),
        takeOver(c.actor, g2.cartToken),
      ]);
      expect(results.every((r) => r.ok)).toBe(true);
      const values = results.map((r) => (r.ok ? (r.value?.id ?? null) : 'refused'));
      expect(values.filter((v) => v === mine)).toHaveLength(2);
      expect(values.filter((v) => v === null)).toHaveLength(1);
      const cart = (await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!;
      expect(cart.lines).toEqual([expect.objectContaining({ quantity: 1 + 2 + 4 })]);
      expect(await auditOf(mine, 'cart.merged')).toHaveLength(2);
    }
  });

  it('races with a concurrent checkout of the customer cart without deadlock: merged, or adopted after it', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'RACE2', 10);
    const c = await signedInCustomer(t, siteId);
    const mine = await customerCart(siteId, c.token, [p], [1]);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 2);
    const [taken, out] = await Promise.all([takeOver(c.actor, guest.cartToken), customerCheckout(siteId, c)]);
    expect(taken.ok).toBe(true);
    expect(out.data!.checkout.order!.id).toBe(mine);
    const [g] = await ownerSql(t.dbUrl, `select state, customer_id from orders where id = $1`, [guest.orderId]);
    // Either the merge came first (the guest cart expired, the checkout took the sum) or the checkout did (adopted).
    if (g.state === 'EXPIRED') expect(out.data!.checkout.order!.totalMinor).toBe(30);
    else expect(g).toEqual({ state: 'DRAFT', customer_id: c.customerId });
  });
});
