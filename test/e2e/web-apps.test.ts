import type { Browser } from 'playwright-core';
import { SUPER_ADMIN, WEBHOOK_SECRET } from '../support/aegis';
import { createTestDatabase } from '../support/databases';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { launchBrowser, watchedPage } from './support/browser';
import { startStack, type Stack } from './support/stack';

/** The two web apps as served by `node dist/server.js` (README "Web apps"): headers, deep links, production. */
jest.setTimeout(120_000);
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** Every source of a CSP that names a host: only loopback ones may appear. */
const hostsOf = (csp: string) => csp.split(/[;\s]+/).filter((s) => /^https?:\/\//.test(s));

describe('served by the API server outside production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('serves each app with a CSP that names no other host (the storefront: the sandbox on loopback only)', async () => {
    for (const path of ['/admin', '/admin/', '/admin/sites/x/orders/y', '/shop/', '/shop/some-site/cart']) {
      const res = await fetch(`${stack.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toContain('<div id="root"></div>');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      const hosts = hostsOf(csp);
      if (path.startsWith('/shop')) expect(hosts).toEqual([new URL(stack.stripe.url).origin]);
      else expect(hosts).toEqual([]);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    // A missing asset is a 404, not the app's page.
    expect((await fetch(`${stack.url}/admin/assets/nothing-here.js`)).status).toBe(404);
    expect(await (await fetch(`${stack.url}/web-config.json`)).json()).toEqual({
      production: false,
      explorer: true,
      stripePublishableKey: null,
    });
  });

  it('opens both apps in Chromium without a console error, an off-machine request or a serious accessibility issue', async () => {
    const admin = await watchedPage(browser, 'web-apps');
    await admin.page.goto(`${stack.url}/admin`);
    await admin.page.getByLabel('Email').waitFor();
    await admin.snap('admin-login');
    await admin.finish();
    const shop = await watchedPage(browser, 'web-apps');
    await shop.page.goto(`${stack.url}/shop/`);
    await shop.page.getByRole('heading').first().waitFor();
    await shop.snap('shop-landing');
    await shop.finish();
  });

  it('shows the development outbox to clients on this machine only', async () => {
    const res = await fetch(`${stack.url}/dev/outbox?to=nobody@example.com`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: [] });
  });
});

describe('the production build (NODE_ENV=production)', () => {
  let server: ServerProcess;
  let stripe: StripeSandbox;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    stripe = await startStripeSandbox();
    server = await spawnServer({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      STRIPE_API_BASE: stripe.url,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SUPER_ADMIN_PASSWORD: SUPER_ADMIN.password,
    });
  });
  afterAll(async () => {
    await server.stop();
    await stripe.close();
    await drop();
  });

  it('serves the admin console, with the explorer and the development outbox off', async () => {
    expect(await (await fetch(`${server.url}/web-config.json`)).json()).toEqual({
      production: true,
      explorer: false,
      stripePublishableKey: null,
    });
    expect((await fetch(`${server.url}/dev/outbox`)).status).toBe(404);
    const res = await fetch(`${server.url}/shop/any`);
    expect(hostsOf(res.headers.get('content-security-policy')!)).toEqual([]);
    const admin = await watchedPage(browser, 'web-apps');
    await admin.page.goto(`${server.url}/admin/explorer`);
    await admin.page.getByLabel('Email').waitFor();
    await admin.snap('admin-production-login');
    await admin.finish();
  });
});
