import {
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  CustomerCartDocument,
  RetryPaymentDocument,
  SetCheckoutDetailsDocument,
  StorefrontOrderDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import {
  ADDRESS,
  addToCart,
  createCart,
  createProduct,
  createSite,
  getCart,
  savedAddressOf,
  setDetails,
  signedInCustomer,
} from '../support/flows';
import { ownerSql } from '../support/sql';

/** Carts that follow the customer: a customer token finds, edits and checks out the customer's cart from any device. */
let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

describe("a customer's cart", () => {
  it('is created with the customer, found from another device by the customer token alone, and edited there', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'FOLLOW', 500);
    const c = await signedInCustomer(t, siteId);

    const created = await t.op(CreateCartDocument, { siteId }, { token: c.token });
    expect(created.data!.createCart).toMatchObject({ cartToken: expect.any(String), order: { state: 'DRAFT' }, userErrors: [] });
    const orderId = created.data!.createCart.order!.id;
    const [row] = await ownerSql(t.dbUrl, `select customer_id from orders where id = $1`, [orderId]);
    expect(row.customer_id).toBe(c.customerId);

    // "Another device": the customer token, no cart token.
    const added = await t.op(AddToCartDocument, { siteId, productId: p, quantity: 2 }, { token: c.token });
    expect(added.data!.addToCart).toMatchObject({ order: { id: orderId, totalMinor: 1000 }, userErrors: [] });
    const cart = await t.op(CustomerCartDocument, { siteId }, { token: c.token });
    expect(cart.data!.cart).toMatchObject({ id: orderId, lines: [{ quantity: 2, product: { id: p } }] });
    // The browser that created it still reaches it by its cart token.
    expect((await getCart(t, created.data!.createCart.cartToken!, siteId)).data!.cart!.id).toBe(orderId);
  });

  it("wins over a cart token sent beside the customer token: the guest's cart is left as it was", async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'BOTH', 100);
    const c = await signedInCustomer(t, siteId);
    const mine = (await t.op(CreateCartDocument, { siteId }, { token: c.token })).data!.createCart.order!.id;
    const guest = await createCart(t, siteId);

    const r = await t.op(AddToCartDocument, { siteId, productId: p, quantity: 1 }, { token: c.token, cartToken: guest.cartToken });
    expect(r.data!.addToCart.order!.id).toBe(mine);
    expect((await t.op(CustomerCartDocument, { siteId }, { token: c.token, cartToken: guest.cartToken })).data!.cart!.id).toBe(mine);
    expect((await getCart(t, guest.cartToken, siteId)).data!.cart).toMatchObject({ id: guest.orderId, totalMinor: 0, lines: [] });
  });

  it("never reaches a guest's order or another customer's, and a customer token of another site is refused", async () => {
    const siteId = await createSite(t);
    const other = await createSite(t, 'Other');
    const p = await createProduct(t, siteId, 'HIDE', 100);
    const a = await signedInCustomer(t, siteId);
    const b = await signedInCustomer(t, siteId);
    const elsewhere = await signedInCustomer(t, other, a.email);
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 1);
    const aCart = (await t.op(CreateCartDocument, { siteId }, { token: a.token })).data!.createCart.order!.id;

    // No cart of their own yet: b finds nothing, and edits answer NOT_FOUND (as for a token that owns no cart).
    expect((await t.op(CustomerCartDocument, { siteId }, { token: b.token })).data!.cart).toBeNull();
    const edit = await t.op(AddToCartDocument, { siteId, productId: p, quantity: 1 }, { token: b.token });
    expect(edit.data!.addToCart.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'Cart not found', field: null }]);
    for (const id of [guest.orderId, aCart]) {
      expect((await t.op(StorefrontOrderDocument, { siteId, id }, { token: b.token })).data!.order).toBeNull();
      const retry = await t.op(RetryPaymentDocument, { siteId, orderId: id }, { token: b.token });
      expect(retry.data!.retryPayment.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'Order not found', field: ['orderId'] }]);
    }
    // Their own order, by id.
    expect((await t.op(StorefrontOrderDocument, { siteId, id: aCart }, { token: a.token })).data!.order!.id).toBe(aCart);

    // The same email on another site is another account: its token is refused on this site, even beside a cart token.
    for (const headers of [{ token: elsewhere.token }, { token: elsewhere.token, cartToken: guest.cartToken }]) {
      expect(codeOf(await t.op(CustomerCartDocument, { siteId }, headers))).toBe('FORBIDDEN');
      expect(codeOf(await t.op(AddToCartDocument, { siteId, productId: p, quantity: 1 }, headers))).toBe('FORBIDDEN');
      expect(codeOf(await t.op(CreateCartDocument, { siteId }, headers))).toBe('FORBIDDEN');
    }
    const [lines] = await ownerSql(t.dbUrl, `select count(*)::int as n from order_lines where order_id = $1`, [guest.orderId]);
    expect(lines.n).toBe(1);
  });

  it('is the open cart first: a newer order at checkout does not hide it', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'OPEN', 100);
    const c = await signedInCustomer(t, siteId);
    const older = (await t.op(CreateCartDocument, { siteId }, { token: c.token })).data!.createCart.order!.id;
    const newer = (await t.op(CreateCartDocument, { siteId }, { token: c.token })).data!.createCart.order!.id;
    // The newest open cart is the cart.
    expect((await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!.id).toBe(newer);
    await t.op(AddToCartDocument, { siteId, productId: p, quantity: 1 }, { token: c.token });
    await t.op(
      SetCheckoutDetailsDocument,
      { siteId, input: { email: c.email, shippingAddress: ADDRESS, billingAddress: ADDRESS } },
      { token: c.token },
    );
    const out = await t.op(CheckoutDocument, { siteId }, { token: c.token });
    expect(out.data!.checkout.order).toMatchObject({ id: newer, state: 'PENDING_PAYMENT' });
    // The newer one is at checkout: the older open cart is the cart again.
    expect((await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!.id).toBe(older);
  });
});

describe('setCheckoutDetails with a saved address', () => {
  it("takes the signed-in customer's saved addresses by id, and checks out", async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'SAVED', 700);
    const c = await signedInCustomer(t, siteId);
    const home = await savedAddressOf(t, siteId, c.customerId, 'Home');
    await t.op(CreateCartDocument, { siteId }, { token: c.token });
    await t.op(AddToCartDocument, { siteId, productId: p, quantity: 1 }, { token: c.token });

    const set = await t.op(
      SetCheckoutDetailsDocument,
      { siteId, input: { email: c.email, shippingAddressId: home, billingAddress: ADDRESS } },
      { token: c.token },
    );
    expect(set.data!.setCheckoutDetails.userErrors).toEqual([]);
    const cart = (await t.op(CustomerCartDocument, { siteId }, { token: c.token })).data!.cart!;
    expect(cart.shippingAddress).toEqual({
      name: 'Home',
      line1: '2 Saved Street',
      line2: null,
      city: 'Paris',
      postalCode: '75001',
      country: 'FR',
    });
    expect(cart.billingAddress).toMatchObject({ name: ADDRESS.name, city: ADDRESS.city });

    const out = await t.op(CheckoutDocument, { siteId }, { token: c.token });
    expect(out.data!.checkout).toMatchObject({
      order: { state: 'PENDING_PAYMENT' },
      paymentSession: { id: expect.any(String) },
      userErrors: [],
    });
  });

  it("answers NOT_FOUND on the field for another customer's or another site's address, VALIDATION for a guest or for both or neither", async () => {
    const siteId = await createSite(t);
    const other = await createSite(t, 'Other');
    const a = await signedInCustomer(t, siteId);
    const b = await signedInCustomer(t, siteId);
    const elsewhere = await signedInCustomer(t, other);
    const bHome = await savedAddressOf(t, siteId, b.customerId);
    const farHome = await savedAddressOf(t, other, elsewhere.customerId);
    await t.op(CreateCartDocument, { siteId }, { token: a.token });
    const aHome = await savedAddressOf(t, siteId, a.customerId);

    for (const id of [bHome, farHome, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const r = await t.op(
        SetCheckoutDetailsDocument,
        { siteId, input: { email: a.email, shippingAddress: ADDRESS, billingAddressId: id } },
        { token: a.token },
      );
      expect(r.data!.setCheckoutDetails).toEqual({
        order: null,
        userErrors: [{ code: 'NOT_FOUND', message: 'Saved address not found', field: ['input', 'billingAddressId'] }],
      });
    }
    const guest = await createCart(t, siteId);
    const asGuest = await setDetails(t, guest.cartToken, siteId, {
      email: 'g@example.com',
      shippingAddressId: aHome,
      billingAddress: ADDRESS,
    });
    expect(asGuest.data!.setCheckoutDetails.userErrors).toEqual([
      { code: 'VALIDATION', message: 'Saved addresses are for signed-in customers', field: ['input', 'shippingAddressId'] },
    ]);
    const both = await t.op(
      SetCheckoutDetailsDocument,
      { siteId, input: { email: a.email, shippingAddress: ADDRESS, shippingAddressId: aHome, billingAddress: ADDRESS } },
      { token: a.token },
    );
    expect(both.data!.setCheckoutDetails.userErrors).toEqual([
      { code: 'VALIDATION', message: 'Give either shippingAddress or shippingAddressId', field: ['input', 'shippingAddressId'] },
    ]);
    const neither = await t.op(
      SetCheckoutDetailsDocument,
      { siteId, input: { email: a.email, billingAddress: ADDRESS } },
      { token: a.token },
    );
    expect(neither.data!.setCheckoutDetails.userErrors).toEqual([
      { code: 'VALIDATION', message: 'Give either shippingAddress or shippingAddressId', field: ['input', 'shippingAddress'] },
    ]);
    // Nothing was written by any of them.
    expect((await t.op(CustomerCartDocument, { siteId }, { token: a.token })).data!.cart).toMatchObject({
      email: null,
      shippingAddress: null,
    });
  });
});
