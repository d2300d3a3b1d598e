import {
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  CustomerOrdersDocument,
  MyOrdersDocument,
  SetCheckoutDetailsDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, DETAILS, setDetails, signedInCustomer } from '../support/flows';
import { ownerSql } from '../support/sql';

/** Order history: a customer's own orders of the site, newest first, paginated; admins list one customer's orders. */
let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

/** A customer's order with one line; `checkedOut` takes it to PENDING_PAYMENT. */
async function customerOrder(siteId: string, c: { token: string; email: string }, productId: string, checkedOut: boolean) {
  const id = (await t.op(CreateCartDocument, { siteId }, { token: c.token })).data!.createCart.order!.id;
  await t.op(AddToCartDocument, { siteId, productId, quantity: 1 }, { token: c.token });
  if (checkedOut) {
    await t.op(SetCheckoutDetailsDocument, { siteId, input: { ...DETAILS, email: c.email } }, { token: c.token });
    await t.op(CheckoutDocument, { siteId }, { token: c.token });
  }
  return id;
}

describe('myOrders', () => {
  it("lists the customer's own orders newest first, page by page, with state and history", async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'HIST', 400);
    const c = await signedInCustomer(t, siteId);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await customerOrder(siteId, c, p, i < 2));

    const first = await t.op(MyOrdersDocument, { siteId, first: 2 }, { token: c.token });
    const page1 = first.data!.myOrders;
    expect(page1.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.edges[0].node).toMatchObject({
      state: 'DRAFT',
      history: [{ from: null, to: 'DRAFT', actor: `customer:${c.customerId}` }],
    });
    expect(page1.edges[1].node).toMatchObject({
      state: 'PENDING_PAYMENT',
      totalMinor: 400,
      history: [{ to: 'DRAFT' }, { from: 'DRAFT', to: 'PENDING_PAYMENT', actor: `customer:${c.customerId}` }],
    });
    const second = await t.op(MyOrdersDocument, { siteId, first: 2, after: page1.pageInfo.endCursor }, { token: c.token });
    expect(second.data!.myOrders.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(second.data!.myOrders.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect((await t.op(MyOrdersDocument, { siteId, after: 'bad-cursor' }, { token: c.token })).data!.myOrders.edges).toEqual([]);
  });

  it("never lists another customer's orders, a guest's with the same email, or another site's", async () => {
    const siteId = await createSite(t);
    const other = await createSite(t, 'Other');
    const p = await createProduct(t, siteId, 'MINE', 100);
    const q = await createProduct(t, other, 'FAR', 100);
    const a = await signedInCustomer(t, siteId);
    const b = await signedInCustomer(t, siteId);
    const aFar = await signedInCustomer(t, other, a.email);
    const mine = await customerOrder(siteId, a, p, true);
    await customerOrder(siteId, b, p, true);
    await customerOrder(other, aFar, q, true);
    // A guest order with a's very email: not a's (attaching it would hand it to whoever signs up with that address).
    const guest = await createCart(t, siteId);
    await addToCart(t, guest.cartToken, siteId, p, 1);
    await setDetails(t, guest.cartToken, siteId, { ...DETAILS, email: a.email });
    await checkout(t, guest.cartToken, siteId);

    const listed = (await t.op(MyOrdersDocument, { siteId }, { token: a.token })).data!.myOrders.edges.map((e) => e.node.id);
    expect(listed).toEqual([mine]);
    const [row] = await ownerSql(t.dbUrl, `select customer_id from orders where id = $1`, [guest.orderId]);
    expect(row.customer_id).toBeNull();
    // a's token on the other site, and the other site's account here: refused, not an empty list.
    expect(codeOf(await t.op(MyOrdersDocument, { siteId: other }, { token: a.token }))).toBe('FORBIDDEN');
    expect(codeOf(await t.op(MyOrdersDocument, { siteId }, { token: aFar.token }))).toBe('FORBIDDEN');
  });

  it('answers UNAUTHENTICATED without a customer (a cart token is no customer) and FORBIDDEN for an admin', async () => {
    const siteId = await createSite(t);
    const guest = await createCart(t, siteId);
    expect(codeOf(await t.op(MyOrdersDocument, { siteId }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.op(MyOrdersDocument, { siteId }, { cartToken: guest.cartToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.op(MyOrdersDocument, { siteId }, { token: 'not-a-token' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.op(MyOrdersDocument, { siteId }, { token: await t.superToken() }))).toBe('FORBIDDEN');
  });
});

describe('the admin orders query, for one customer', () => {
  it("lists that customer's orders only; an unknown or malformed id lists none", async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'ADM', 100);
    const a = await signedInCustomer(t, siteId);
    const b = await signedInCustomer(t, siteId);
    const aOrders = [await customerOrder(siteId, a, p, true), await customerOrder(siteId, a, p, false)];
    await customerOrder(siteId, b, p, true);
    await createCart(t, siteId);
    const token = await t.superToken();

    const listed = await t.op(CustomerOrdersDocument, { siteId, customerId: a.customerId }, { token });
    expect(listed.data!.orders.edges.map((e) => e.node.id)).toEqual(aOrders);
    for (const customerId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])
      expect((await t.op(CustomerOrdersDocument, { siteId, customerId }, { token })).data!.orders.edges).toEqual([]);
    // A customer is no admin.
    expect(codeOf(await t.op(CustomerOrdersDocument, { siteId, customerId: a.customerId }, { token: a.token }))).toBe('FORBIDDEN');
  });
});
