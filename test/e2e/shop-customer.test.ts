/**
 * Customer accounts in the storefront (web/shop), in Chromium against `node dist/server.js`: a guest's cart taken
 * over at sign-in, a purchase in the order history, and a password reset through the development outbox page.
 */
import type { Browser, Page } from 'playwright-core';
import { CustomerSignUpDocument } from '../../clients/generated/graphql';
import { createProduct, createSite } from '../support/flows';
import { launchBrowser, waitForValue, watchedPage, type WatchedPage } from './support/browser';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const SUITE = 'shop-customer';
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A new shopper: a browser context of its own. */
async function shopper(): Promise<WatchedPage> {
  return watchedPage(browser, SUITE);
}

async function addToCart(page: Page, siteId: string, name: string) {
  await page.goto(`${stack.url}/shop/${siteId}`);
  const card = page.locator('li.product', { has: page.getByRole('heading', { name }) });
  await card.getByRole('button', { name: 'Add to cart' }).click();
  await card.getByText('Added to your cart.').waitFor();
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('takes the guest cart over at sign-up and sign-in, then lists the purchase in the order history', async () => {
  const siteId = await createSite(stack.server, 'Customer shop');
  await createProduct(stack.server, siteId, 'CUP-1', 900);
  const w = await shopper();
  const { page } = w;
  const email = 'grace@example.com';
  const password = 'a-long-e2e-password';

  await addToCart(page, siteId, 'Product CUP-1');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name (optional)').fill('Grace Hopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await w.snap('sign-up');
  await page.getByRole('button', { name: 'Create the account' }).click();

  await page.getByText(`Your account is ready: sign in with ${email}.`).waitFor();
  await w.snap('sign-in');
  await signIn(page, email, password);
  // The guest's cart (sent as X-Cart-Token with the login) is the customer's now.
  await page.waitForURL(/\/cart$/);
  await page.locator('tr[data-line="CUP-1"]').waitFor();
  await page.getByRole('link', { name: 'Cart (1)' }).waitFor();
  await page.getByRole('link', { name: 'My account' }).waitFor();
  await w.snap('cart-after-sign-in');

  await page.getByRole('link', { name: 'Checkout' }).click();
  // The customer's email fills the form; the address typed in is saved to the account.
  await waitForValue(page.getByLabel('Email'), email);
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('Address', { exact: true }).fill('7 Compiler Lane');
  await page.getByLabel('City').fill('Arlington');
  await page.getByLabel('Postal code').fill('22201');
  await page.getByLabel('Country').fill('US');
  await page.getByLabel('Save this address to my account').check();
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/pay$/);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('heading', { name: 'Thank you: your order is confirmed' }).waitFor({ timeout: 30_000 });
  const orderId = /\/orders\/([^/]+)\//.exec(page.url())![1];

  await page.getByRole('link', { name: 'My account' }).click();
  const row = page.locator(`tr[data-order="${orderId}"]`);
  await row.locator('[data-state="CONFIRMED"]').waitFor();
  await page.getByText('Grace Hopper, 7 Compiler Lane, 22201 Arlington, US').waitFor();
  await w.snap('order-history');

  // The next purchase ships to the saved address, picked by id (shippingAddressId), not typed again.
  await addToCart(page, siteId, 'Product CUP-1');
  await page.goto(`${stack.url}/shop/${siteId}/checkout`);
  await expect(page.getByRole('radio', { name: 'Grace Hopper, 7 Compiler Lane, 22201 Arlington, US' }).isChecked()).resolves.toBe(true);
  await w.snap('checkout-saved-address');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/pay$/);
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('heading', { name: 'Thank you: your order is confirmed' }).waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'My account' }).click();
  const confirmed = page.locator('tr[data-order] [data-state="CONFIRMED"]');
  await confirmed.nth(1).waitFor();
  await expect(confirmed.count()).resolves.toBe(2);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('navigation', { name: 'Shop' }).getByRole('link', { name: 'Sign in' }).waitFor();
  await w.finish();
});

it('resets a forgotten password with the code from the development outbox page', async () => {
  const siteId = await createSite(stack.server, 'Reset shop');
  const email = 'ada@example.com';
  const signedUp = await stack.server.op(CustomerSignUpDocument, { siteId, input: { email, password: 'the-old-long-password' } });
  expect(signedUp.data!.customerSignUp.accepted).toBe(true);
  const w = await shopper();
  const { page } = w;

  await page.goto(`${stack.url}/shop/${siteId}/login`);
  await page.getByRole('link', { name: 'Reset it' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send a reset code' }).click();
  await page.getByRole('link', { name: 'the development outbox' }).click();

  await page.locator('[data-kind="customer.passwordReset"]').waitFor();
  await w.snap('outbox');
  await page.getByRole('link', { name: 'Use this reset code' }).click();
  await expect(page.getByLabel('Reset code').inputValue()).resolves.not.toBe('');
  await page.getByLabel('New password').fill('the-new-long-password');
  await w.snap('reset-password');
  await page.getByRole('button', { name: 'Change the password' }).click();

  await page.getByText('Your password is changed: sign in with the new one.').waitFor();
  await signIn(page, email, 'the-new-long-password');
  await page.waitForURL(/\/account$/);
  await page.getByText(`Signed in as ${email}`).waitFor();
  await w.finish();
});
