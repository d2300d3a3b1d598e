import { CreateProductDocument, UpdateCartLineDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, setDetails } from '../support/flows';

let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

const updateLine = (cartToken: string, siteId: string, lineId: string, quantity: number) =>
  t.op(UpdateCartLineDocument, { siteId, lineId, quantity }, { cartToken });

describe('cart editing', () => {
  it('merges repeated adds into one line at the snapshotted price and bounds a line at 1000', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'MERGE', 300);
    const { cartToken } = await createCart(t, siteId);
    await addToCart(t, cartToken, siteId, p, 400);
    const merged = await addToCart(t, cartToken, siteId, p, 600);
    expect(merged.data!.addToCart.order!.lines).toEqual([expect.objectContaining({ quantity: 1000, unitPriceMinor: 300, lineTotalMinor: 300_000 })]);
    expect(merged.data!.addToCart.order!.totalMinor).toBe(300_000);

    const over = await addToCart(t, cartToken, siteId, p, 1);
    expect(over.data!.addToCart).toEqual({ order: null, userErrors: [{ code: 'VALIDATION', message: expect.any(String), field: ['quantity'] }] });
    const cart = (await getCart(t, cartToken, siteId)).data!.cart!;
    expect(cart.totalMinor).toBe(300_000);
    expect(cart.lines[0].quantity).toBe(1000);
  });

  it('refuses quantities out of bounds with VALIDATION before touching anything', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'BOUND', 100);
    const { cartToken } = await createCart(t, siteId);
    for (const q of [0, -1, 1001]) {
      const r = await addToCart(t, cartToken, siteId, p, q);
      expect(r.data!.addToCart.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['quantity'] })]);
    }
    expect((await getCart(t, cartToken, siteId)).data!.cart!.lines).toEqual([]);
  });

  it('sets a line quantity, removes it at 0, and keeps the total equal to the lines', async () => {
    const siteId = await createSite(t);
    const a = await createProduct(t, siteId, 'A', 250);
    const b = await createProduct(t, siteId, 'B', 1000);
    const { cartToken } = await createCart(t, siteId);
    await addToCart(t, cartToken, siteId, a, 2);
    const added = await addToCart(t, cartToken, siteId, b, 1);
    const lineA = added.data!.addToCart.order!.lines.find((l) => l.product.id === a)!.id;
    expect((await updateLine(cartToken, siteId, lineA, 5)).data!.updateCartLine.order!.totalMinor).toBe(5 * 250 + 1000);
    const removed = await updateLine(cartToken, siteId, lineA, 0);
    const { totalMinor, lines } = removed.data!.updateCartLine.order!;
    expect({ totalMinor, lines }).toEqual({ totalMinor: 1000, lines: [expect.objectContaining({ quantity: 1 })] });
    expect((await updateLine(cartToken, siteId, lineA, 1)).data!.updateCartLine.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('refuses another site\'s product as if it did not exist', async () => {
    const siteA = await createSite(t, 'A');
    const siteB = await createSite(t, 'B');
    const foreign = await createProduct(t, siteB, 'FOREIGN', 100);
    const { cartToken } = await createCart(t, siteA);
    const r = await addToCart(t, cartToken, siteA, foreign, 1);
    expect(r.data!.addToCart.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'Product not found', field: ['productId'] }]);
    const missing = await addToCart(t, cartToken, siteA, '00000000-0000-4000-8000-000000000000', 1);
    expect(missing.data!.addToCart.userErrors).toEqual(r.data!.addToCart.userErrors);
  });

  it('validates checkout details (email, country) and freezes the cart once checked out', async () => {
    const siteId = await createSite(t);
    const p = await createProduct(t, siteId, 'FREEZE', 100);
    const { cartToken } = await createCart(t, siteId);
    await addToCart(t, cartToken, siteId, p, 1);
    const bad = await setDetails(t, cartToken, siteId, {
      email: 'not-an-email',
      shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'XX' },
      billingAddress: { name: ' ', line1: 'B', city: 'C', postalCode: 'D', country: 'de' },
    });
    expect(bad.data!.setCheckoutDetails.userErrors.map((e) => e.field!.join('.')).sort()).toEqual(['input.billingAddress.name', 'input.email', 'input.shippingAddress.country']);
    await setDetails(t, cartToken, siteId);
    await checkout(t, cartToken, siteId);
    const late = await addToCart(t, cartToken, siteId, p, 1);
    expect(late.data!.addToCart.userErrors[0].code).toBe('INVALID_TRANSITION');
    expect((await getCart(t, cartToken, siteId)).data!.cart!.totalMinor).toBe(100);
  });
});

describe('catalogue', () => {
  it('answers CONFLICT, never a 500, when concurrent creates race for one SKU', async () => {
    const siteId = await createSite(t);
    const token = await t.superToken();
    const create = () =>
      t.op(CreateProductDocument, { siteId, input: { sku: 'RACE', name: 'Race', priceMinor: 100 } }, { token });
    const replies = await Promise.all(Array.from({ length: 6 }, create));
    expect(replies.every((r) => r.status === 200 && !r.errors)).toBe(true);
    const outcomes = replies.map((r) => (r.data!.createProduct.product ? 'created' : r.data!.createProduct.userErrors[0].code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'created']);
  });
});
