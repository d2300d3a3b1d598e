import type { TestAegis } from './aegis';

/** GraphQL operations the tests share, as a storefront and an admin client would send them. */
export const ORDER_FIELDS = `id siteId state currency totalMinor email failureReason recoveryDeadline needsRefund
  lines { id quantity unitPriceMinor lineTotalMinor product { id sku priceMinor } }
  paymentSession { id clientSecret }
  paymentAttempts { id status amountMinor failureReason needsRefund }
  history { from to actor reason }`;

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
export const DETAILS = { email: 'ada@example.com', shippingAddress: ADDRESS, billingAddress: ADDRESS };

export async function createSite(t: TestAegis, name = 'Shop', currency = 'EUR'): Promise<string> {
  const r = await t.gql(
    `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ id } userErrors{ code message } } }`,
    { i: { name, currency } },
    { token: await t.superToken() },
  );
  if (!r.data?.createSite.site) throw new Error(`createSite failed: ${JSON.stringify(r)}`);
  return r.data.createSite.site.id;
}

export async function createProduct(t: TestAegis, siteId: string, sku: string, priceMinor: number): Promise<string> {
  const r = await t.gql(
    `mutation($s:ID!,$i:CreateProductInput!){ createProduct(siteId:$s,input:$i){ product{ id } userErrors{ code message } } }`,
    { s: siteId, i: { sku, name: `Product ${sku}`, priceMinor } },
    { token: await t.superToken() },
  );
  if (!r.data?.createProduct.product) throw new Error(`createProduct failed: ${JSON.stringify(r)}`);
  return r.data.createProduct.product.id;
}

export async function createCart(t: TestAegis, siteId: string): Promise<{ cartToken: string; orderId: string }> {
  const r = await t.gql(`mutation($s:ID!){ createCart(siteId:$s){ cartToken order{ id state } userErrors{ code } } }`, { s: siteId });
  return { cartToken: r.data.createCart.cartToken, orderId: r.data.createCart.order.id };
}

export const addToCart = (t: TestAegis, cartToken: string, siteId: string, productId: string, quantity: number) =>
  t.gql(
    `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ ${ORDER_FIELDS} } userErrors{ code message field } } }`,
    { s: siteId, p: productId, q: quantity },
    { cartToken },
  );

export const setDetails = (t: TestAegis, cartToken: string, siteId: string, input: object = DETAILS) =>
  t.gql(
    `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id email } userErrors{ code message field } } }`,
    { s: siteId, i: input },
    { cartToken },
  );

export const checkout = (t: TestAegis, cartToken: string, siteId: string) =>
  t.gql(
    `mutation($s:ID!){ checkout(siteId:$s){ order{ ${ORDER_FIELDS} } paymentSession{ id clientSecret } userErrors{ code message } } }`,
    { s: siteId },
    { cartToken },
  );

export const getCart = (t: TestAegis, cartToken: string, siteId: string) =>
  t.gql(`query($s:ID!){ cart(siteId:$s){ ${ORDER_FIELDS} } }`, { s: siteId }, { cartToken });

/** A site with two products and a cart checked out to PENDING_PAYMENT. */
export async function pendingOrder(t: TestAegis, siteId?: string) {
  const site = siteId ?? (await createSite(t));
  const p1 = await createProduct(t, site, `SKU-${Math.random().toString(36).slice(2, 8)}`, 1250);
  const cart = await createCart(t, site);
  await addToCart(t, cart.cartToken, site, p1, 2);
  await setDetails(t, cart.cartToken, site);
  const r = await checkout(t, cart.cartToken, site);
  const session = r.data.checkout.paymentSession;
  if (!session) throw new Error(`checkout failed: ${JSON.stringify(r)}`);
  return { siteId: site, ...cart, intentId: session.id as string, totalMinor: 2500 };
}
