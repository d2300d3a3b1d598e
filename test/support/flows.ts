import {
  AddToCartDocument,
  CartStatusDocument,
  CheckoutDocument,
  CreateCartDocument,
  CreateProductDocument,
  CreateSiteDocument,
  SetCheckoutDetailsDocument,
  type CheckoutDetailsInput,
} from '../../clients/generated/graphql';
import type { TestAegis } from './aegis';

/** What the flows need of a server: a test server, or a server process (test/support/server-process.ts). */
export type Shop = Pick<TestAegis, 'op' | 'superToken'>;

/** GraphQL operations the tests share, as a storefront and an admin client send them (clients/*.graphql). */
export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
export const DETAILS: CheckoutDetailsInput = { email: 'ada@example.com', shippingAddress: ADDRESS, billingAddress: ADDRESS };

export async function createSite(t: Shop, name = 'Shop', currency = 'EUR'): Promise<string> {
  const r = await t.op(CreateSiteDocument, { input: { name, currency } }, { token: await t.superToken() });
  if (!r.data?.createSite.site) throw new Error(`createSite failed: ${JSON.stringify(r)}`);
  return r.data.createSite.site.id;
}

export async function createProduct(t: Shop, siteId: string, sku: string, priceMinor: number): Promise<string> {
  const r = await t.op(
    CreateProductDocument,
    { siteId, input: { sku, name: `Product ${sku}`, priceMinor } },
    { token: await t.superToken() },
  );
  if (!r.data?.createProduct.product) throw new Error(`createProduct failed: ${JSON.stringify(r)}`);
  return r.data.createProduct.product.id;
}

export async function createCart(t: Shop, siteId: string): Promise<{ cartToken: string; orderId: string }> {
  const r = await t.op(CreateCartDocument, { siteId });
  return { cartToken: r.data!.createCart.cartToken!, orderId: r.data!.createCart.order!.id };
}

export const addToCart = (t: Shop, cartToken: string, siteId: string, productId: string, quantity: number) =>
  t.op(AddToCartDocument, { siteId, productId, quantity }, { cartToken });

export const setDetails = (t: Shop, cartToken: string, siteId: string, input: CheckoutDetailsInput = DETAILS) =>
  t.op(SetCheckoutDetailsDocument, { siteId, input }, { cartToken });

export const checkout = (t: Shop, cartToken: string, siteId: string) => t.op(CheckoutDocument, { siteId }, { cartToken });

/** The visitor's cart with its payment attempts and history. */
export const getCart = (t: Shop, cartToken: string, siteId: string) => t.op(CartStatusDocument, { siteId }, { cartToken });

/** A site with two products and a cart checked out to PENDING_PAYMENT. */
export async function pendingOrder(t: Shop, siteId?: string) {
  const site = siteId ?? (await createSite(t));
  const p1 = await createProduct(t, site, `SKU-${Math.random().toString(36).slice(2, 8)}`, 1250);
  const cart = await createCart(t, site);
  await addToCart(t, cart.cartToken, site, p1, 2);
  await setDetails(t, cart.cartToken, site);
  const r = await checkout(t, cart.cartToken, site);
  const session = r.data?.checkout.paymentSession;
  if (!session) throw new Error(`checkout failed: ${JSON.stringify(r)}`);
  return { siteId: site, ...cart, intentId: session.id, totalMinor: 2500 };
}
