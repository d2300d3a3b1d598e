import { startTestAegis, SUPER_ADMIN, type GqlResult, type Headers, type TestAegis } from '../support/aegis';
import { openDbState, type DbState } from '../support/db-state';
import { createCart, DETAILS, signedInCustomer } from '../support/flows';
import { createSiteAdmin, siteFixture, type SiteFixture } from '../support/two-sites';

/**
 * THE authority matrix: every Query and Mutation operation x every kind of caller -> what the gate (shield)
 * answers. Targets are site A's resources (the cart X, its line, its order id).
 *
 * - ALLOWED: the gate lets the operation through (the domain's answer does not matter here);
 * - HIDDEN: the gate lets it through, but the target is not the caller's: the answer is null / a null payload,
 *   carries nothing of X, and X is unchanged;
 * - UNAUTHENTICATED / FORBIDDEN: refused with that code, and not one row of any table changes.
 *
 * "other cart" is a visitor holding a different cart of the same site A: storefront operations act on its own
 * cart, and operations naming X's ids are HIDDEN. (A cart of another site is covered by cross-tenant.test.ts.)
 * "customer of A" is a signed-in customer of site A: a shopper with carts of its own (X stays out of its reach)
 * and its profile; "customer of B" holds a valid token of another site, refused on every operation of site A.
 */
const ALLOWED = 'ALLOWED';
const HIDDEN = 'HIDDEN';
const UNAUTH = 'UNAUTHENTICATED';
const FORBID = 'FORBIDDEN';
type Outcome = typeof ALLOWED | typeof HIDDEN | typeof UNAUTH | typeof FORBID;

const CALLERS = ['anonymous', 'holder', 'other cart', 'admin of A', 'admin of B', 'super', 'customer of A', 'customer of B'] as const;
type Caller = (typeof CALLERS)[number];

//                                  anonymous holder   other cart admin of A admin of B super  customer of A customer of B
const MATRIX: Record<string, Outcome[]> = {
  // Query
  products: /*          */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  site: /*              */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  cart: /*              */ [UNAUTH, ALLOWED, ALLOWED, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  order: /*             */ [UNAUTH, ALLOWED, HIDDEN, ALLOWED, FORBID, ALLOWED, HIDDEN, FORBID],
  me: /*                */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, ALLOWED, ALLOWED, FORBID, FORBID],
  orders: /*            */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  auditLog: /*          */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  contentItem: /*       */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  contentItems: /*      */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  suggestions: /*       */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  // Mutation: storefront
  createCart: /*        */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, FORBID],
  addToCart: /*         */ [UNAUTH, ALLOWED, ALLOWED, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  updateCartLine: /*    */ [UNAUTH, ALLOWED, HIDDEN, FORBID, FORBID, FORBID, HIDDEN, FORBID],
  setCheckoutDetails: /**/ [UNAUTH, ALLOWED, ALLOWED, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  checkout: /*          */ [UNAUTH, ALLOWED, ALLOWED, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  retryPayment: /*      */ [UNAUTH, ALLOWED, HIDDEN, FORBID, FORBID, FORBID, HIDDEN, FORBID],
  // Mutation: identity and platform
  adminLogin: /*        */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  createSite: /*        */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  createSiteAdmin: /*   */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  setAdminSites: /*     */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  setAdminDisabled: /*  */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  setAiEnabled: /*      */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  // Mutation: site administration
  createProduct: /*     */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  refundOrder: /*       */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  setStock: /*          */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  adjustStock: /*       */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  createContentItem: /* */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  reviseContent: /*     */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  requestSuggestion: /* */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  approveSuggestion: /* */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  rejectSuggestion: /*  */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  // Query and Mutation: customer accounts
  customer: /*          */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  myOrders: /*          */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  customers: /*         */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  siteCustomer: /*      */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  customerSignUp: /*    */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  customerLogin: /*     */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  requestPasswordReset: [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  resetPassword: /*     */ [ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  updateCustomerProfile: [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  addCustomerAddress: /**/ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  removeCustomerAddress: [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, HIDDEN, FORBID],
  setCustomerDisabled: /**/ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  // Query and Mutation: the admin console
  siteStats: /*         */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  sites: /*             */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, ALLOWED, ALLOWED, FORBID, FORBID],
  admins: /*            */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, ALLOWED, FORBID, FORBID],
  updateProduct: /*     */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, FORBID, ALLOWED, FORBID, FORBID],
  // Next to last: it revokes the tokens of the customer who calls it (so adminLogoutAll then finds customer A's token revoked).
  customerLogout: /*    */ [UNAUTH, UNAUTH, UNAUTH, FORBID, FORBID, FORBID, ALLOWED, FORBID],
  // Last: it revokes the tokens of the admins who call it, which the rows above use.
  adminLogoutAll: /*    */ [UNAUTH, UNAUTH, UNAUTH, ALLOWED, ALLOWED, ALLOWED, UNAUTH, FORBID],
};

interface Ids {
  a: SiteFixture;
  b: SiteFixture;
  other: { cartToken: string; orderId: string };
  targetAdminId: string;
  unknownId: string;
  customerOfA: string;
}

/** Each operation: its document, its variables (targeting site A and X), and the payload field holding the entity. */
const OPS: Record<string, { doc: string; vars: (ids: Ids) => Record<string, unknown>; entity?: string }> = {
  products: { doc: `query($s:ID!){ products(siteId:$s){ edges{ node{ id } } } }`, vars: ({ a }) => ({ s: a.siteId }) },
  site: { doc: `query($s:ID!){ site(siteId:$s){ id } }`, vars: ({ a }) => ({ s: a.siteId }) },
  cart: { doc: `query($s:ID!){ cart(siteId:$s){ id } }`, vars: ({ a }) => ({ s: a.siteId }) },
  order: { doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id state } }`, vars: ({ a }) => ({ s: a.siteId, id: a.cart.orderId }) },
  me: { doc: `query{ me{ id role } }`, vars: () => ({}) },
  orders: { doc: `query($s:ID!){ orders(siteId:$s){ edges{ node{ id } } } }`, vars: ({ a }) => ({ s: a.siteId }) },
  auditLog: { doc: `query($s:ID!){ auditLog(siteId:$s){ edges{ node{ id } } } }`, vars: ({ a }) => ({ s: a.siteId }) },
  siteStats: { doc: `query($s:ID!){ siteStats(siteId:$s){ siteId paymentFailures } }`, vars: ({ a }) => ({ s: a.siteId }) },
  sites: { doc: `query{ sites{ edges{ node{ id } } } }`, vars: () => ({}) },
  admins: { doc: `query{ admins{ edges{ node{ id } } } }`, vars: () => ({}) },
  contentItem: {
    doc: `query($s:ID!,$id:ID!){ contentItem(siteId:$s,id:$id){ id } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, id: unknownId }),
  },
  contentItems: { doc: `query($s:ID!){ contentItems(siteId:$s){ id } }`, vars: ({ a }) => ({ s: a.siteId }) },
  suggestions: { doc: `query($s:ID!){ suggestions(siteId:$s){ id } }`, vars: ({ a }) => ({ s: a.siteId }) },
  createCart: {
    doc: `mutation($s:ID!){ createCart(siteId:$s){ cartToken order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'order',
  },
  addToCart: {
    doc: `mutation($s:ID!,$p:ID!){ addToCart(siteId:$s,productId:$p,quantity:1){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, p: a.productId }),
    entity: 'order',
  },
  updateCartLine: {
    doc: `mutation($s:ID!,$l:ID!){ updateCartLine(siteId:$s,lineId:$l,quantity:3){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, l: a.cart.lineId }),
    entity: 'order',
  },
  setCheckoutDetails: {
    doc: `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, i: DETAILS }),
    entity: 'order',
  },
  checkout: {
    doc: `mutation($s:ID!){ checkout(siteId:$s){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'order',
  },
  retryPayment: {
    doc: `mutation($s:ID!,$o:ID!){ retryPayment(siteId:$s,orderId:$o){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, o: a.cart.orderId }),
    entity: 'order',
  },
  adminLogin: {
    doc: `mutation($e:String!){ adminLogin(email:$e,password:"not-the-password"){ token userErrors{ code } } }`,
    vars: () => ({ e: SUPER_ADMIN.email }),
    entity: 'token',
  },
  createSite: {
    doc: `mutation{ createSite(input:{ name:"New", currency:"USD" }){ site{ id } userErrors{ code } } }`,
    vars: () => ({}),
    entity: 'site',
  },
  createSiteAdmin: {
    doc: `mutation($e:String!,$s:ID!){ createSiteAdmin(input:{ email:$e, password:"long-enough-password", siteIds:[$s] }){ admin{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ e: `new-${Math.random().toString(36).slice(2)}@aegis.test`, s: a.siteId }),
    entity: 'admin',
  },
  setAdminSites: {
    doc: `mutation($id:ID!,$s:ID!){ setAdminSites(adminId:$id,siteIds:[$s]){ admin{ id } userErrors{ code } } }`,
    vars: ({ a, targetAdminId }) => ({ id: targetAdminId, s: a.siteId }),
    entity: 'admin',
  },
  setAdminDisabled: {
    doc: `mutation($id:ID!){ setAdminDisabled(adminId:$id,disabled:false){ admin{ id } userErrors{ code } } }`,
    vars: ({ targetAdminId }) => ({ id: targetAdminId }),
    entity: 'admin',
  },
  setAiEnabled: {
    doc: `mutation($s:ID!){ setAiEnabled(siteId:$s,enabled:false){ site{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'site',
  },
  createProduct: {
    doc: `mutation($s:ID!,$sku:String!){ createProduct(siteId:$s,input:{ sku:$sku, name:"Mug", priceMinor:500 }){ product{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, sku: `MUG-${Math.random().toString(36).slice(2, 8)}` }),
    entity: 'product',
  },
  refundOrder: {
    doc: `mutation($s:ID!,$o:ID!){ refundOrder(siteId:$s,orderId:$o,reason:"asked"){ order{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, o: a.cart.orderId }),
    entity: 'order',
  },
  setStock: {
    doc: `mutation($s:ID!,$p:ID!){ setStock(siteId:$s,productId:$p,stockOnHand:500,reason:"count"){ product{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, p: a.productId }),
    entity: 'product',
  },
  adjustStock: {
    doc: `mutation($s:ID!,$p:ID!){ adjustStock(siteId:$s,productId:$p,delta:1,reason:"delivery"){ product{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, p: a.productId }),
    entity: 'product',
  },
  updateProduct: {
    doc: `mutation($s:ID!,$p:ID!){ updateProduct(siteId:$s,productId:$p,input:{ name:"Renamed mug" }){ product{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, p: a.productId }),
    entity: 'product',
  },
  createContentItem: {
    doc: `mutation($s:ID!,$slug:String!){ createContentItem(siteId:$s,input:{ slug:$slug, title:"About", body:"Hello" }){ contentItem{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, slug: `about-${Math.random().toString(36).slice(2, 8)}` }),
    entity: 'contentItem',
  },
  reviseContent: {
    doc: `mutation($s:ID!,$c:ID!){ reviseContent(siteId:$s,contentItemId:$c,body:"Hi"){ contentItem{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, c: unknownId }),
    entity: 'contentItem',
  },
  requestSuggestion: {
    doc: `mutation($s:ID!,$c:ID!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:"shorter"){ suggestion{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, c: unknownId }),
    entity: 'suggestion',
  },
  approveSuggestion: {
    doc: `mutation($s:ID!,$id:ID!){ approveSuggestion(siteId:$s,suggestionId:$id){ suggestion{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, id: unknownId }),
    entity: 'suggestion',
  },
  rejectSuggestion: {
    doc: `mutation($s:ID!,$id:ID!){ rejectSuggestion(siteId:$s,suggestionId:$id,reason:"no"){ suggestion{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, id: unknownId }),
    entity: 'suggestion',
  },
  adminLogoutAll: { doc: `mutation{ adminLogoutAll{ admin{ id } userErrors{ code } } }`, vars: () => ({}), entity: 'admin' },
  customer: { doc: `query($s:ID!){ customer(siteId:$s){ id email } }`, vars: ({ a }) => ({ s: a.siteId }) },
  myOrders: { doc: `query($s:ID!){ myOrders(siteId:$s){ edges{ node{ id } } } }`, vars: ({ a }) => ({ s: a.siteId }) },
  customers: { doc: `query($s:ID!){ customers(siteId:$s){ edges{ node{ id email } } } }`, vars: ({ a }) => ({ s: a.siteId }) },
  siteCustomer: {
    doc: `query($s:ID!,$id:ID!){ siteCustomer(siteId:$s,id:$id){ id } }`,
    vars: ({ a, customerOfA }) => ({ s: a.siteId, id: customerOfA }),
  },
  customerSignUp: {
    doc: `mutation($s:ID!,$e:String!){ customerSignUp(siteId:$s,input:{ email:$e, password:"long-enough-password" }){ accepted userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, e: `signup-${Math.random().toString(36).slice(2)}@example.com` }),
    entity: 'accepted',
  },
  customerLogin: {
    doc: `mutation($s:ID!,$e:String!){ customerLogin(siteId:$s,email:$e,password:"not-the-password"){ token userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, e: 'nobody@example.com' }),
    entity: 'token',
  },
  requestPasswordReset: {
    doc: `mutation($s:ID!){ requestPasswordReset(siteId:$s,email:"nobody@example.com"){ accepted userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'accepted',
  },
  resetPassword: {
    doc: `mutation($s:ID!){ resetPassword(siteId:$s,token:"not-a-reset-code",password:"long-enough-password"){ accepted userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'accepted',
  },
  updateCustomerProfile: {
    doc: `mutation($s:ID!){ updateCustomerProfile(siteId:$s,input:{ name:"Ada" }){ customer{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'customer',
  },
  addCustomerAddress: {
    doc: `mutation($s:ID!,$i:AddressInput!){ addCustomerAddress(siteId:$s,input:$i){ address{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId, i: DETAILS.shippingAddress }),
    entity: 'address',
  },
  removeCustomerAddress: {
    doc: `mutation($s:ID!,$id:ID!){ removeCustomerAddress(siteId:$s,addressId:$id){ customer{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, id: unknownId }),
    entity: 'customer',
  },
  setCustomerDisabled: {
    doc: `mutation($s:ID!,$id:ID!){ setCustomerDisabled(siteId:$s,customerId:$id,disabled:true){ customer{ id } userErrors{ code } } }`,
    vars: ({ a, unknownId }) => ({ s: a.siteId, id: unknownId }),
    entity: 'customer',
  },
  customerLogout: {
    doc: `mutation($s:ID!){ customerLogout(siteId:$s){ customer{ id } userErrors{ code } } }`,
    vars: ({ a }) => ({ s: a.siteId }),
    entity: 'customer',
  },
};

let t: TestAegis;
let db: DbState;
let ids: Ids;
let headers: Record<Caller, Headers>;

beforeAll(async () => {
  t = await startTestAegis();
  db = await openDbState(t.dbUrl);
  const [a, b] = [await siteFixture(t, 'A'), await siteFixture(t, 'B')];
  const other = await createCart(t, a.siteId);
  const targetAdminId = await createSiteAdmin(t, 'target@aegis.test', [a.siteId]);
  const [customerA, customerB] = [await signedInCustomer(t, a.siteId), await signedInCustomer(t, b.siteId)];
  ids = { a, b, other, targetAdminId, unknownId: '0190c0de-0000-7000-8000-000000000000', customerOfA: customerA.customerId };
  headers = {
    anonymous: {},
    holder: { cartToken: a.cart.cartToken },
    'other cart': { cartToken: other.cartToken },
    'admin of A': { token: a.adminToken },
    'admin of B': { token: b.adminToken },
    super: { token: await t.superToken() },
    'customer of A': { token: customerA.token },
    'customer of B': { token: customerB.token },
  };
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const gateRefusal = (r: GqlResult): Outcome | null => {
  const code = r.errors?.find((e) => e.extensions?.code === UNAUTH || e.extensions?.code === FORBID)?.extensions?.code;
  return (code as Outcome | undefined) ?? null;
};

describe('the authority matrix', () => {
  it('covers every Query and Mutation operation of the schema, and every caller', () => {
    const { buildGraphQLSchema } = require('../../src/schema/build');
    const schema = buildGraphQLSchema();
    const operations = [...Object.keys(schema.getQueryType().getFields()), ...Object.keys(schema.getMutationType().getFields())];
    expect(Object.keys(MATRIX).sort()).toEqual(operations.sort());
    expect(Object.keys(OPS).sort()).toEqual(operations.sort());
    for (const row of Object.values(MATRIX)) expect(row).toHaveLength(CALLERS.length);
  });

  it.each(Object.keys(MATRIX))('%s', async (op) => {
    const { doc, vars, entity } = OPS[op];
    const expected = MATRIX[op];
    const actual: Outcome[] = [];
    for (const [i, caller] of CALLERS.entries()) {
      const before = await db.snapshot();
      const xBefore = await db.orderPrint(ids.a.cart.orderId);
      const r = await t.gql(doc, vars(ids), headers[caller]);
      expect(r.status).toBe(200);
      const value = r.data?.[op];
      const target = entity ? value?.[entity] : value;
      const refused = gateRefusal(r);
      actual.push(refused ?? (expected[i] === HIDDEN && target == null ? HIDDEN : ALLOWED));

      if (refused) {
        expect(value ?? null).toBeNull();
        expect(await db.snapshot()).toEqual(before);
      }
      if (caller === 'other cart' || caller === 'customer of A') {
        // Whatever it may do to its own cart, a shopper never reads or changes the cart it does not hold.
        expect(JSON.stringify(r)).not.toContain(ids.a.cart.orderId);
        expect(await db.orderPrint(ids.a.cart.orderId)).toBe(xBefore);
      }
    }
    expect(Object.fromEntries(CALLERS.map((c, i) => [c, actual[i]]))).toEqual(Object.fromEntries(CALLERS.map((c, i) => [c, expected[i]])));
  });
});
