import {
  CurrentCustomerDocument,
  SetCustomerDisabledDocument,
  SiteCustomerDocument,
  SiteCustomersDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createSite } from '../support/flows';
import { siteFixture, type SiteFixture } from '../support/two-sites';
import { auditOf, code, customerAccount, loginCustomer, newEmail, WINDOW_MS } from './accounts-support';

/** Admins see the customers of their sites (a super admin: of every site) and disable them. */
const clock = new TestClock();
let t: TestAegis;
let a: SiteFixture;
let b: SiteFixture;

beforeAll(async () => {
  t = await startTestAegis({ clock });
  a = await siteFixture(t, 'CustA');
  b = await siteFixture(t, 'CustB');
});
afterAll(() => t.close());
beforeEach(() => clock.advance(WINDOW_MS + 1));

const list = (siteId: string, token: string, first?: number, after?: string | null) =>
  t.op(SiteCustomersDocument, { siteId, first, after }, { token });

describe('customers of a site', () => {
  it('are listed, oldest first and paginated, for an admin of the site and the super admin; never with a hash', async () => {
    const siteId = await createSite(t, 'Listed');
    const names = [newEmail('first'), newEmail('second'), newEmail('third')];
    for (const email of names) {
      await customerAccount(t, siteId, email);
      clock.advance(1000);
    }
    const root = await t.superToken();
    const page1 = (await list(siteId, root, 2)).data!.customers;
    expect(page1.edges.map((e) => e.node.email)).toEqual(names.slice(0, 2));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await list(siteId, root, 2, page1.pageInfo.endCursor)).data!.customers;
    expect(page2.edges.map((e) => e.node.email)).toEqual(names.slice(2));
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page1.edges[0].node).toEqual({
      id: expect.any(String),
      siteId,
      email: names[0],
      name: 'Grace Hopper',
      disabled: false,
      createdAt: expect.any(String),
      addresses: [],
    });
    expect((await list(siteId, root, 2, 'not-a-cursor')).data!.customers.edges).toEqual([]);
  });

  it("are the admin's own site's only: another site's admin is FORBIDDEN, another site's customer reads as missing", async () => {
    const ofA = await customerAccount(t, a.siteId);
    const ofB = await customerAccount(t, b.siteId);
    const mine = (await list(a.siteId, a.adminToken)).data!.customers.edges.map((e) => e.node.id);
    expect(mine).toContain(ofA.customerId);
    expect(mine).not.toContain(ofB.customerId);
    expect(code(await list(a.siteId, b.adminToken))).toBe('FORBIDDEN');
    const read = (siteId: string, id: string, token: string) => t.op(SiteCustomerDocument, { siteId, id }, { token });
    expect((await read(a.siteId, ofA.customerId, a.adminToken)).data?.siteCustomer?.email).toBe(ofA.email);
    expect((await read(a.siteId, ofB.customerId, a.adminToken)).data?.siteCustomer).toBeNull();
    expect((await read(b.siteId, ofB.customerId, await t.superToken())).data?.siteCustomer?.id).toBe(ofB.customerId);
    expect(code(await read(b.siteId, ofB.customerId, a.adminToken))).toBe('FORBIDDEN');
    // A customer is no admin, even of its own site.
    expect(code(await list(a.siteId, ofA.token))).toBe('FORBIDDEN');
  });
});

describe('setCustomerDisabled', () => {
  const setDisabled = (siteId: string, customerId: string, disabled: boolean, token: string) =>
    t.op(SetCustomerDisabledDocument, { siteId, customerId, disabled }, { token });

  it('refuses the customer at once; re-enabling revives no token; both audited', async () => {
    const customer = await customerAccount(t, a.siteId);
    const r = await setDisabled(a.siteId, customer.customerId, true, a.adminToken);
    expect(r.data?.setCustomerDisabled).toMatchObject({ customer: { id: customer.customerId, disabled: true }, userErrors: [] });
    expect(code(await t.op(CurrentCustomerDocument, { siteId: a.siteId }, { token: customer.token }))).toBe('UNAUTHENTICATED');
    expect((await loginCustomer(t, a.siteId, customer.email)).data?.customerLogin.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    await setDisabled(a.siteId, customer.customerId, false, a.adminToken);
    expect(code(await t.op(CurrentCustomerDocument, { siteId: a.siteId }, { token: customer.token }))).toBe('UNAUTHENTICATED');
    const again = (await loginCustomer(t, a.siteId, customer.email)).data!.customerLogin.token!;
    expect((await t.op(CurrentCustomerDocument, { siteId: a.siteId }, { token: again })).data?.customer?.id).toBe(customer.customerId);
    const entries = (await auditOf(t, a.siteId)).filter((e) => e.entityId === customer.customerId && /able$/.test(e.action));
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['customer.disable', expect.stringMatching(/^admin:admin-custa-/)],
      ['customer.enable', expect.stringMatching(/^admin:admin-custa-/)],
    ]);
  });

  it("refuses another site's admin (FORBIDDEN) and another site's customer (NOT_FOUND), changing nothing", async () => {
    const customer = await customerAccount(t, a.siteId);
    expect(code(await setDisabled(a.siteId, customer.customerId, true, b.adminToken))).toBe('FORBIDDEN');
    const crossed = await setDisabled(b.siteId, customer.customerId, true, b.adminToken);
    expect(crossed.data?.setCustomerDisabled).toMatchObject({ customer: null, userErrors: [{ code: 'NOT_FOUND', field: ['customerId'] }] });
    expect(code(await t.op(CurrentCustomerDocument, { siteId: a.siteId }, { token: customer.token }))).toBeNull();
  });
});
