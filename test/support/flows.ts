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
import { randomUUID } from 'node:crypto';
import type { CustomerActor } from '../../src/domain/actor';
import type { TestAegis } from './aegis';
import { ownerSql } from './sql';

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

/**
 * A customer of the site, signed in without the login mutation (for the tests of what a customer does, not of
 * login): the row written as the owner, a token issued as login issues it. `actor` is for the domain's functions.
 */
export async function signedInCustomer(t: TestAegis, siteId: string, email = `c-${randomUUID().slice(0, 8)}@example.com`) {
  const customerId = randomUUID();
  await ownerSql(
    t.dbUrl,
    `insert into customers (id, site_id, email, password_hash, created_at) values ($1, $2, $3, 'not-a-hash', now())`,
    [customerId, siteId, email],
  );
  const token = await t.aegis.deps.tokens.issueCustomer({ customerId, siteId }, 0, t.aegis.deps.clock.now());
  const actor: CustomerActor = { kind: 'customer', customerId, siteId, email };
  return { customerId, email, token, actor };
}

/** A saved address of the customer, written as the owner (the profile's own mutations are tested elsewhere). */
export async function savedAddressOf(t: TestAegis, siteId: string, customerId: string, name = 'Saved Name'): Promise<string> {
  const id = randomUUID();
  await ownerSql(
    t.dbUrl,
    `insert into customer_addresses (id, site_id, customer_id, name, line1, city, postal_code, country, created_at)
     values ($1, $2, $3, $4, '2 Saved Street', 'Paris', '75001', 'FR', now())`,
    [id, siteId, customerId, name],
  );
  return id;
}
