import { ConsoleAdminsDocument, ConsoleSitesDocument, SiteStatsDocument, UpdateProductDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createProduct, createSite } from '../support/flows';
import { confirmedOrder, failedOrder, refundOrder, sql } from '../payments/support';
import { createSiteAdmin, login } from '../support/two-sites';

/** The admin console's queries (README "Admin console"): the dashboard's figures, the site switcher, admins, product edits. */
const clock = new TestClock();
let t: TestAegis;
let siteA: string;
let siteB: string;

beforeAll(async () => {
  t = await startTestAegis({ clock, env: { EXPIRY_JOB_CRON: 'off' } });
  siteA = await createSite(t, 'Stats A');
  siteB = await createSite(t, 'Stats B', 'USD');
});
afterAll(() => t.close());

const DAY = 24 * 3600 * 1000;
// A fresh super admin token when the clock moved past the last one's life (t.superToken signs in again).
const stats = async (siteId: string, token?: string, days?: number) =>
  t.op(SiteStatsDocument, { siteId, days }, { token: token ?? (await t.superToken()) });

describe('siteStats', () => {
  it('counts confirmed orders and their revenue by the UTC day they were confirmed, with every day of the window', async () => {
    const before = (await stats(siteA)).data!.siteStats!;
    expect(before.days).toHaveLength(30);
    expect(before.days.every((d) => d.orders === 0 && d.revenueMinor === 0)).toBe(true);
    expect(before.days[29].date).toBe(clock.now().toISOString().slice(0, 10));
    expect(before.from).toBe(`${before.days[0].date}T00:00:00.000Z`);
    const start = clock.now().getTime();

    await confirmedOrder(t, siteA); // 2 x 1250, three days before "today"
    clock.advance(3 * DAY);
    const today = await confirmedOrder(t, siteA);
    await confirmedOrder(t, siteA);
    await failedOrder(t, siteA);
    // A refund later leaves the day of the sale as it was.
    expect((await refundOrder(t, await t.superToken(), siteA, today.orderId)).data!.refundOrder.userErrors).toEqual([]);

    const s = (await stats(siteA)).data!.siteStats!;
    expect(s.currency).toBe('EUR');
    expect(s.days[29]).toEqual({ date: clock.now().toISOString().slice(0, 10), orders: 2, revenueMinor: 5000 });
    expect(s.days[26]).toEqual({
      date: new Date(start).toISOString().slice(0, 10),
      orders: 1,
      revenueMinor: 2500,
    });
    expect(s.days.reduce((n, d) => n + d.orders, 0)).toBe(3);
    expect(s.paymentFailures).toBe(1);
    expect(s.needsRefund).toBe(0);
    expect([s.disputes, s.openDisputes]).toEqual([0, 0]);
    // The other site's figures are its own.
    expect((await stats(siteB)).data!.siteStats).toMatchObject({ currency: 'USD', paymentFailures: 0 });
    expect((await stats(siteB)).data!.siteStats!.days.every((d) => d.orders === 0)).toBe(true);
  });

  it('counts orders that need a refund and disputes, open and closed, as they are now', async () => {
    const site = await createSite(t, 'Stats attention');
    const o = await confirmedOrder(t, site);
    await sql(t.dbUrl, `update payment_attempts set needs_refund = true where order_id = $1`, [o.orderId]);
    const d1 = await confirmedOrder(t, site);
    const d2 = await confirmedOrder(t, site);
    await sql(t.dbUrl, `update payment_attempts set dispute_id = 'dp_1', dispute_closed = false where order_id = $1`, [d1.orderId]);
    await sql(t.dbUrl, `update payment_attempts set dispute_id = 'dp_2', dispute_closed = true where order_id = $1`, [d2.orderId]);
    expect((await stats(site)).data!.siteStats).toMatchObject({ needsRefund: 1, disputes: 2, openDisputes: 1, paymentFailures: 0 });
  });

  it('clamps the window to 1..90 days, and answers null for an unknown or malformed site', async () => {
    expect((await stats(siteA, undefined, 500)).data!.siteStats!.days).toHaveLength(90);
    expect((await stats(siteA, undefined, 0)).data!.siteStats!.days).toHaveLength(1);
    expect((await stats('00000000-0000-4000-8000-000000000000')).data!.siteStats).toBeNull();
    expect((await stats('not-a-uuid')).data!.siteStats).toBeNull();
  });

  it('is refused to an admin of another site', async () => {
    await createSiteAdmin(t, 'stats-b@aegis.test', [siteB]);
    const token = await login(t, 'stats-b@aegis.test');
    const r = await stats(siteA, token);
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(r.data?.siteStats ?? null).toBeNull();
  });
});

describe('sites and admins', () => {
  it('lists every site to a super admin and only the granted ones to a site admin, paged', async () => {
    const all = (await t.op(ConsoleSitesDocument, { first: 100 }, { token: await t.superToken() })).data!.sites.edges.map((e) => e.node.id);
    expect(all).toEqual(expect.arrayContaining([siteA, siteB]));
    await createSiteAdmin(t, 'switcher@aegis.test', [siteA]);
    const token = await login(t, 'switcher@aegis.test');
    const mine = (await t.op(ConsoleSitesDocument, {}, { token })).data!.sites;
    expect(mine.edges.map((e) => e.node.id)).toEqual([siteA]);

    const first = (await t.op(ConsoleSitesDocument, { first: 1 }, { token: await t.superToken() })).data!.sites;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await t.op(ConsoleSitesDocument, { first: 1, after: first.pageInfo.endCursor }, { token: await t.superToken() })).data!
      .sites;
    expect(next.edges[0].node.id).not.toBe(first.edges[0].node.id);
    expect((await t.op(ConsoleSitesDocument, { after: 'garbage' }, { token: await t.superToken() })).data!.sites.edges).toEqual([]);
  });

  it('lists admins to super admins only, with their grants and never a password hash', async () => {
    const r = await t.op(ConsoleAdminsDocument, { first: 40 }, { token: await t.superToken() });
    const switcher = r.data!.admins.edges.find((e) => e.node.email === 'switcher@aegis.test')!.node;
    expect(switcher).toMatchObject({ role: 'SITE_ADMIN', siteIds: [siteA], disabled: false });
    expect(JSON.stringify(r.data)).not.toMatch(/scrypt|passwordHash/);
    const token = await login(t, 'switcher@aegis.test');
    expect((await t.op(ConsoleAdminsDocument, {}, { token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('updateProduct', () => {
  it("changes a product's name and price, audited with the old and new values; the SKU stays", async () => {
    const productId = await createProduct(t, siteA, 'EDIT-1', 900);
    const r = await t.op(
      UpdateProductDocument,
      { siteId: siteA, productId, input: { name: 'Renamed', priceMinor: 1200 } },
      { token: await t.superToken() },
    );
    expect(r.data!.updateProduct).toEqual({
      product: { id: productId, sku: 'EDIT-1', name: 'Renamed', priceMinor: 1200, currency: 'EUR' },
      userErrors: [],
    });
    const onlyPrice = await t.op(
      UpdateProductDocument,
      { siteId: siteA, productId, input: { priceMinor: 1300 } },
      { token: await t.superToken() },
    );
    expect(onlyPrice.data!.updateProduct.product).toMatchObject({ name: 'Renamed', priceMinor: 1300 });
    const [entry] = await sql(
      t.dbUrl,
      `select actor, detail from audit_log where entity_id = $1 and action = 'product.update' order by at limit 1`,
      [productId],
    );
    expect(entry.actor).toMatch(/^admin:/);
    expect(JSON.parse(entry.detail)).toEqual({
      before: { name: 'Product EDIT-1', priceMinor: 900 },
      after: { name: 'Renamed', priceMinor: 1200 },
    });
  });

  it('answers bad input as errors on its fields and changes nothing', async () => {
    const productId = await createProduct(t, siteA, 'EDIT-2', 900);
    const bad = async (input: object) =>
      (await t.op(UpdateProductDocument, { siteId: siteA, productId, input }, { token: await t.superToken() })).data!.updateProduct;
    expect((await bad({ priceMinor: -1 })).userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'priceMinor'] }),
    ]);
    expect((await bad({ name: '' })).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['input', 'name'] })]);
    expect((await bad({})).userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['input'] })]);
    const [row] = await sql(t.dbUrl, `select name, price_minor from products where id = $1`, [productId]);
    expect(row).toEqual({ name: 'Product EDIT-2', price_minor: 900 });
  });

  it("answers NOT_FOUND for another site's product and leaves it as it was", async () => {
    const productOfB = await createProduct(t, siteB, 'EDIT-B', 700);
    const r = await t.op(
      UpdateProductDocument,
      { siteId: siteA, productId: productOfB, input: { name: 'Hijacked' } },
      { token: await t.superToken() },
    );
    expect(r.data!.updateProduct.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['productId'] })]);
    expect((await sql(t.dbUrl, `select name from products where id = $1`, [productOfB]))[0].name).toBe('Product EDIT-B');
  });
});
