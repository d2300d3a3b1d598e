/**
 * The storefront (web/shop) in Chromium against `node dist/server.js`: a purchase to CONFIRMED, a declined card
 * retried to CONFIRMED, and a sell-out where the second shopper is refused at checkout.
 */
import type { Browser, Page } from 'playwright-core';
import { OrderDocument, SetStockDocument } from '../../clients/generated/graphql';
import { createProduct, createSite } from '../support/flows';
import { launchBrowser, watchedPage, type WatchedPage } from './support/browser';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const SUITE = 'shop-purchase';
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The site's storefront with the product named `name` put in the cart. */
async function addToCart(page: Page, siteId: string, name: string) {
  await page.goto(`${stack.url}/shop/${siteId}`);
  const card = page.locator('li.product', { has: page.getByRole('heading', { name }) });
  await card.getByRole('button', { name: 'Add to cart' }).click();
  await card.getByText('Added to your cart.').waitFor();
}

async function fillDetails(page: Page, email = 'ada@example.com') {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('1 Analytical Way');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('N1 9GU');
  await page.getByLabel('Country').fill('GB');
}

async function payWith(page: Page, card: string) {
  await page.waitForURL(/\/orders\/[^/]+\/pay$/);
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: 'Pay' }).click();
}

/** A new shopper: a browser context of its own. */
async function shopper(): Promise<WatchedPage> {
  return watchedPage(browser, SUITE);
}

const orderIdOf = (page: Page) => /\/orders\/([^/]+)\//.exec(page.url())![1];

async function stateAtApi(siteId: string, id: string) {
  const r = await stack.server.op(OrderDocument, { siteId, id }, { token: await stack.server.superToken() });
  return r.data!.order!.state;
}

/** A declined card makes Chromium log the sandbox's HTTP 402 (Stripe's answer to a decline) as a console error. */
const dropDeclineLog = (w: WatchedPage) => w.expectConsoleError(/the server responded with a status of 402/);

it('buys from the storefront: products, cart, details, card 4242, confirmation CONFIRMED', async () => {
  const siteId = await createSite(stack.server, 'Purchase shop');
  await createProduct(stack.server, siteId, 'MUG-1', 1250);
  const w = await shopper();
  const { page } = w;

  await page.goto(`${stack.url}/shop/${siteId}`);
  await page.getByRole('heading', { name: 'Product MUG-1' }).waitFor();
  await w.snap('products');
  await addToCart(page, siteId, 'Product MUG-1');

  await page.getByRole('link', { name: 'Cart (1)' }).click();
  const quantity = page.getByLabel('Quantity of Product MUG-1');
  await quantity.fill('2');
  await page.getByRole('button', { name: 'Update' }).click();
  await page.getByRole('link', { name: 'Cart (2)' }).waitFor();
  await w.snap('cart');

  await page.getByRole('link', { name: 'Checkout' }).click();
  await fillDetails(page);
  await w.snap('checkout');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/orders\/[^/]+\/pay$/);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await w.snap('pay');
  await page.getByRole('button', { name: 'Pay' }).click();

  await page.waitForURL(/\/confirmation$/);
  await page.getByRole('heading', { name: 'Thank you: your order is confirmed' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-state="CONFIRMED"]').waitFor();
  await w.snap('confirmation');
  expect(await stateAtApi(siteId, orderIdOf(page))).toBe('CONFIRMED');
  await w.finish();
});

it('shows a declined card on the failure page, then a retry with 4242 confirms the order', async () => {
  const siteId = await createSite(stack.server, 'Decline shop');
  await createProduct(stack.server, siteId, 'TEE-1', 2400);
  const w = await shopper();
  const { page } = w;

  await addToCart(page, siteId, 'Product TEE-1');
  await page.goto(`${stack.url}/shop/${siteId}/checkout`);
  await fillDetails(page);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await payWith(page, '4000 0000 0000 0002');

  await page.waitForURL(/\/failed$/);
  await page.locator('[data-state="PAYMENT_FAILED"]').waitFor({ timeout: 30_000 });
  await expect(page.locator('.failure-reason').innerText()).resolves.toMatch(/declined/i);
  await page.getByText('Your items are kept for you until').waitFor();
  await w.snap('payment-failed');
  const orderId = orderIdOf(page);
  expect(await stateAtApi(siteId, orderId)).toBe('PAYMENT_FAILED');

  await page.getByRole('button', { name: 'Try the payment again' }).click();
  await payWith(page, '4242424242424242');
  await page.getByRole('heading', { name: 'Thank you: your order is confirmed' }).waitFor({ timeout: 30_000 });
  await w.snap('retried-confirmation');
  expect(await stateAtApi(siteId, orderId)).toBe('CONFIRMED');
  dropDeclineLog(w);
  await w.finish();
});

it('sells the last unit to the first shopper; the second is refused INSUFFICIENT_STOCK at checkout', async () => {
  const siteId = await createSite(stack.server, 'Sell-out shop');
  const productId = await createProduct(stack.server, siteId, 'LAMP-1', 4900);
  const stocked = await stack.server.op(
    SetStockDocument,
    { siteId, productId, stockOnHand: 1, reason: 'the last one' },
    { token: await stack.server.superToken() },
  );
  expect(stocked.data!.setStock.userErrors).toEqual([]);

  const first = await shopper();
  const second = await shopper();
  await first.page.goto(`${stack.url}/shop/${siteId}`);
  await first.page.getByText('1 available').waitFor();
  // A cart holds nothing: both carts take the last lamp.
  await addToCart(first.page, siteId, 'Product LAMP-1');
  await addToCart(second.page, siteId, 'Product LAMP-1');

  // More than is available is refused on the cart's line, next to its quantity.
  await first.page.goto(`${stack.url}/shop/${siteId}/cart`);
  await first.page.getByLabel('Quantity of Product LAMP-1').fill('2');
  await first.page.getByRole('button', { name: 'Update' }).click();
  const lineError = first.page.locator('tr[data-line="LAMP-1"] .field-error');
  await lineError.waitFor();
  expect(await lineError.getAttribute('data-code')).toBe('INSUFFICIENT_STOCK');
  await first.snap('cart-stock-error');

  await first.page.goto(`${stack.url}/shop/${siteId}/checkout`);
  await fillDetails(first.page, 'first@example.com');
  await first.page.getByRole('button', { name: 'Continue to payment' }).click();
  await payWith(first.page, '4242 4242 4242 4242');
  await first.page.getByRole('heading', { name: 'Thank you: your order is confirmed' }).waitFor({ timeout: 30_000 });

  await second.page.goto(`${stack.url}/shop/${siteId}/checkout`);
  await fillDetails(second.page, 'second@example.com');
  await second.page.getByRole('button', { name: 'Continue to payment' }).click();
  const refusal = second.page.locator('#error-lines');
  await refusal.waitFor();
  expect(await refusal.getAttribute('data-code')).toBe('INSUFFICIENT_STOCK');
  await expect(refusal.innerText()).resolves.toContain('only 0 available of Product LAMP-1');
  await second.page.getByText('Product LAMP-1: 0 available, 1 in your cart.').waitFor();
  await second.snap('sold-out');
  // Still a cart: no payment was opened for the second shopper.
  expect(second.page.url()).toMatch(/\/checkout$/);

  await second.page.goto(`${stack.url}/shop/${siteId}`);
  await second.page.getByText('Sold out').waitFor();
  await first.finish();
  await second.finish();
});
