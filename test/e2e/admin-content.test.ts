/**
 * The admin console's AI advisory flow in Chromium against `node dist/server.js` with the fake OpenAI: a suggestion
 * requested, reviewed beside its diff and approved; another rejected with a reason; a stale one explained; and,
 * with the site's AI switched off, the seed's message and no call to the provider.
 */
import type { Browser, Page } from 'playwright-core';
import { CreateContentItemDocument, ReviseContentDocument, SetAiEnabledDocument } from '../../clients/generated/graphql';
import { SUPER_ADMIN } from '../support/aegis';
import { createSite } from '../support/flows';
import { launchBrowser, watchedPage } from './support/browser';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const SUITE = 'admin-content';
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(page: Page) {
  await page.goto(`${stack.url}/admin/`);
  await page.getByLabel('Email').fill(SUPER_ADMIN.email);
  await page.getByLabel('Password').fill(SUPER_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Welcome, ${SUPER_ADMIN.email}` }).waitFor();
}

const setAi = async (siteId: string, enabled: boolean) =>
  expect(
    (await stack.server.op(SetAiEnabledDocument, { siteId, enabled }, { token: await stack.server.superToken() })).data!.setAiEnabled
      .userErrors,
  ).toEqual([]);

async function request(page: Page, itemUrl: string, instruction: string) {
  await page.goto(itemUrl);
  await page.getByLabel('Instruction').fill(instruction);
  await page.getByRole('button', { name: 'Request suggestion' }).click();
}

it('requests, reviews, approves and rejects suggestions; AI off says so and calls nothing', async () => {
  const siteId = await createSite(stack.server, 'Tea shop');
  await setAi(siteId, true);
  const token = await stack.server.superToken();
  const created = await stack.server.op(
    CreateContentItemDocument,
    { siteId, input: { slug: 'about', title: 'About us', body: 'Our shop sells tea.' } },
    { token },
  );
  const itemId = created.data!.createContentItem.contentItem!.id;
  const itemUrl = `${stack.url}/admin/sites/${siteId}/content/${itemId}`;
  stack.ai.content = () => 'Welcome! Our little shop sells wonderful tea.';

  const w = await watchedPage(browser, SUITE);
  const { page } = w;
  await signIn(page);

  // 1. Requested, reviewed beside the diff against version 1, approved: version 2.
  await request(page, itemUrl, 'Make it friendlier');
  await page.waitForURL(/\/suggestions\/[^/]+$/);
  const diff = page.getByTestId('diff');
  await diff.locator('ins', { hasText: 'Welcome!' }).waitFor();
  await w.snap('suggestion-review');
  await page.getByRole('button', { name: 'Approve suggestion' }).click();
  await page.getByText('Approved: the text is now version 2.').waitFor();
  // The page asks again once approved: the status follows.
  await page.getByTestId('suggestion-status').filter({ hasText: 'APPROVED' }).waitFor();

  // 2. Another one, rejected: a reason is required, then kept.
  stack.ai.content = () => 'Tea. Buy it.';
  await request(page, itemUrl, 'Shorter');
  await page.waitForURL(/\/suggestions\/[^/]+$/);
  await page.getByRole('button', { name: 'Reject suggestion' }).click();
  const reason = page.getByLabel('Reason for rejecting');
  await page.getByText('A reason is required to reject a suggestion.').waitFor();
  expect(await reason.getAttribute('aria-invalid')).toBe('true');
  await reason.fill('Too curt for our brand');
  await page.getByRole('button', { name: 'Reject suggestion' }).click();
  await page.getByText('Rejected by admin:root@aegis.test: Too curt for our brand').waitFor();

  // 3. A suggestion made from version 2, approved after the text moved on to version 3: explained in words.
  await request(page, itemUrl, 'Add a greeting');
  await page.waitForURL(/\/suggestions\/[^/]+$/);
  await stack.server.op(ReviseContentDocument, { siteId, contentItemId: itemId, body: 'Edited by hand meanwhile.' }, { token });
  await page.getByRole('button', { name: 'Approve suggestion' }).click();
  await page.getByText('This suggestion is out of date.').waitFor();
  await expect(page.locator('[data-code="STALE_SUGGESTION"]').innerText()).resolves.toContain('the content is now at version 3');

  // 4. AI off: the seed's message, and the provider is not called.
  await setAi(siteId, false);
  const calls = stack.ai.calls;
  await request(page, itemUrl, 'Anything');
  await page.getByText('Advisory disabled for this site', { exact: true }).waitFor();
  expect(stack.ai.calls).toBe(calls);
  await w.finish();
});
