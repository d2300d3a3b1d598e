import { startTestAegis, type Headers, type TestAegis } from '../support/aegis';
import { openDbState, type DbState } from '../support/db-state';
import { DETAILS } from '../support/flows';
import { siteFixture, type SiteFixture } from '../support/two-sites';

/**
 * Every operation that takes an id, called by a caller of site A with an id of site B, answers exactly (the same
 * HTTP status, data and errors) as the same call with an id that exists nowhere, and changes no row.
 */
const UNKNOWN = '0190c0de-0000-7000-8000-00000000dead';

let t: TestAegis;
let db: DbState;
let a: SiteFixture;
let b: SiteFixture;
/** Site B's content item and an AI suggestion for it (AI enabled on both sites, so the gate is passed). */
let bContent: { itemId: string; suggestionId: string };

beforeAll(async () => {
  t = await startTestAegis();
  db = await openDbState(t.dbUrl);
  a = await siteFixture(t, 'A');
  b = await siteFixture(t, 'B');
  const token = await t.superToken();
  for (const site of [a.siteId, b.siteId]) {
    await t.gql(`mutation($s:ID!){ setAiEnabled(siteId:$s, enabled:true){ site{ id } } }`, { s: site }, { token });
  }
  const item = await t.gql(
    `mutation($s:ID!){ createContentItem(siteId:$s,input:{ slug:"about", title:"About", body:"B's page" }){ contentItem{ id } userErrors{ code } } }`,
    { s: b.siteId },
    { token },
  );
  const itemId = item.data.createContentItem.contentItem.id;
  const sug = await t.gql(
    `mutation($s:ID!,$c:ID!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:"shorter"){ suggestion{ id } userErrors{ code } } }`,
    { s: b.siteId, c: itemId },
    { token },
  );
  bContent = { itemId, suggestionId: sug.data.requestSuggestion.suggestion.id };
});
afterAll(async () => {
  await db.close();
  await t.close();
});

type Caller = 'visitor of A' | 'admin of A' | 'super';
interface Case {
  caller: Caller;
  doc: string;
  /** Variables with site B's id, and the same with an id that does not exist. */
  foreign: () => Record<string, unknown>;
  unknown: () => Record<string, unknown>;
}

const headersOf = async (caller: Caller): Promise<Headers> =>
  caller === 'visitor of A'
    ? { cartToken: a.cart.cartToken }
    : caller === 'admin of A'
      ? { token: a.adminToken }
      : { token: await t.superToken() };

const CASES: Record<string, Case> = {
  'cart on site B': {
    caller: 'visitor of A',
    doc: `query($s:ID!){ cart(siteId:$s){ id } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  "order: B's order on site A (visitor)": {
    caller: 'visitor of A',
    doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id } }`,
    foreign: () => ({ s: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "order: B's order on site B (visitor)": {
    caller: 'visitor of A',
    doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id } }`,
    foreign: () => ({ s: b.siteId, id: b.cart.orderId }),
    unknown: () => ({ s: UNKNOWN, id: UNKNOWN }),
  },
  "addToCart: B's product": {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$p:ID!){ addToCart(siteId:$s,productId:$p,quantity:1){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, p: b.productId }),
    unknown: () => ({ s: a.siteId, p: UNKNOWN }),
  },
  'addToCart: on site B': {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$p:ID!){ addToCart(siteId:$s,productId:$p,quantity:1){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId, p: b.productId }),
    unknown: () => ({ s: UNKNOWN, p: b.productId }),
  },
  "updateCartLine: B's line": {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$l:ID!){ updateCartLine(siteId:$s,lineId:$l,quantity:5){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, l: b.cart.lineId }),
    unknown: () => ({ s: a.siteId, l: UNKNOWN }),
  },
  "updateCartLine: B's line on site B": {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$l:ID!){ updateCartLine(siteId:$s,lineId:$l,quantity:5){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId, l: b.cart.lineId }),
    unknown: () => ({ s: UNKNOWN, l: b.cart.lineId }),
  },
  'setCheckoutDetails: on site B': {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId, i: DETAILS }),
    unknown: () => ({ s: UNKNOWN, i: DETAILS }),
  },
  'checkout: on site B': {
    caller: 'visitor of A',
    doc: `mutation($s:ID!){ checkout(siteId:$s){ order{ id } paymentSession{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  "retryPayment: B's order": {
    caller: 'visitor of A',
    doc: `mutation($s:ID!,$o:ID!){ retryPayment(siteId:$s,orderId:$o){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, o: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, o: UNKNOWN }),
  },
  "order: B's order on site A (admin of A)": {
    caller: 'admin of A',
    doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id } }`,
    foreign: () => ({ s: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "order: B's order on site B (admin of A)": {
    caller: 'admin of A',
    doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id } }`,
    foreign: () => ({ s: b.siteId, id: b.cart.orderId }),
    unknown: () => ({ s: UNKNOWN, id: UNKNOWN }),
  },
  'orders of site B': {
    caller: 'admin of A',
    doc: `query($s:ID!){ orders(siteId:$s){ edges{ node{ id } } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'auditLog of site B': {
    caller: 'admin of A',
    doc: `query($s:ID!){ auditLog(siteId:$s){ edges{ node{ id } } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'createProduct on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ createProduct(siteId:$s,input:{ sku:"X1", name:"X", priceMinor:1 }){ product{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  "refundOrder: B's order on site A (admin of A)": {
    caller: 'admin of A',
    doc: `mutation($s:ID!,$o:ID!){ refundOrder(siteId:$s,orderId:$o,reason:"r"){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, o: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, o: UNKNOWN }),
  },
  "refundOrder: B's order on site B (admin of A)": {
    caller: 'admin of A',
    doc: `mutation($s:ID!,$o:ID!){ refundOrder(siteId:$s,orderId:$o,reason:"r"){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId, o: b.cart.orderId }),
    unknown: () => ({ s: UNKNOWN, o: b.cart.orderId }),
  },
  'contentItem of site B': {
    caller: 'admin of A',
    doc: `query($s:ID!){ contentItem(siteId:$s,id:"${UNKNOWN}"){ id } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'contentItems of site B': {
    caller: 'admin of A',
    doc: `query($s:ID!){ contentItems(siteId:$s){ id } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'suggestions of site B': {
    caller: 'admin of A',
    doc: `query($s:ID!){ suggestions(siteId:$s){ id } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'createContentItem on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ createContentItem(siteId:$s,input:{ slug:"x", title:"X", body:"x" }){ contentItem{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'reviseContent on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ reviseContent(siteId:$s,contentItemId:"${UNKNOWN}",body:"x"){ contentItem{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'requestSuggestion on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ requestSuggestion(siteId:$s,contentItemId:"${UNKNOWN}",instruction:"x"){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'approveSuggestion on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ approveSuggestion(siteId:$s,suggestionId:"${UNKNOWN}"){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  'rejectSuggestion on site B': {
    caller: 'admin of A',
    doc: `mutation($s:ID!){ rejectSuggestion(siteId:$s,suggestionId:"${UNKNOWN}",reason:"x"){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: b.siteId }),
    unknown: () => ({ s: UNKNOWN }),
  },
  "contentItem: B's item on site A (admin of A)": {
    caller: 'admin of A',
    doc: `query($s:ID!,$id:ID!){ contentItem(siteId:$s,id:$id){ id body: currentVersion{ body } } }`,
    foreign: () => ({ s: a.siteId, id: bContent.itemId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "suggestions: of B's item on site A (admin of A)": {
    caller: 'admin of A',
    doc: `query($s:ID!,$c:ID!){ suggestions(siteId:$s,contentItemId:$c){ id } }`,
    foreign: () => ({ s: a.siteId, c: bContent.itemId }),
    unknown: () => ({ s: a.siteId, c: UNKNOWN }),
  },
  "reviseContent: B's item on site A (admin of A)": {
    caller: 'admin of A',
    doc: `mutation($s:ID!,$c:ID!){ reviseContent(siteId:$s,contentItemId:$c,body:"taken over"){ contentItem{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, c: bContent.itemId }),
    unknown: () => ({ s: a.siteId, c: UNKNOWN }),
  },
  "requestSuggestion: B's item on site A (admin of A)": {
    caller: 'admin of A',
    doc: `mutation($s:ID!,$c:ID!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:"x"){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, c: bContent.itemId }),
    unknown: () => ({ s: a.siteId, c: UNKNOWN }),
  },
  "approveSuggestion: B's suggestion on site A (admin of A)": {
    caller: 'admin of A',
    doc: `mutation($s:ID!,$id:ID!){ approveSuggestion(siteId:$s,suggestionId:$id){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, id: bContent.suggestionId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "rejectSuggestion: B's suggestion on site A (super)": {
    caller: 'super',
    doc: `mutation($s:ID!,$id:ID!){ rejectSuggestion(siteId:$s,suggestionId:$id,reason:"no"){ suggestion{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, id: bContent.suggestionId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "order: B's order on site A (super)": {
    caller: 'super',
    doc: `query($s:ID!,$id:ID!){ order(siteId:$s,id:$id){ id } }`,
    foreign: () => ({ s: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, id: UNKNOWN }),
  },
  "refundOrder: B's order on site A (super)": {
    caller: 'super',
    doc: `mutation($s:ID!,$o:ID!){ refundOrder(siteId:$s,orderId:$o,reason:"r"){ order{ id } userErrors{ code message field } } }`,
    foreign: () => ({ s: a.siteId, o: b.cart.orderId }),
    unknown: () => ({ s: a.siteId, o: UNKNOWN }),
  },
};

describe("another site's id answers exactly like an id that does not exist, and changes nothing", () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name];
    const headers = await headersOf(c.caller);
    const before = await db.snapshot();
    const foreign = await t.gql(c.doc, c.foreign(), headers);
    expect(await db.snapshot()).toEqual(before);
    const unknown = await t.gql(c.doc, c.unknown(), headers);
    expect(await db.snapshot()).toEqual(before);
    expect(foreign).toEqual(unknown);
    expect(JSON.stringify(foreign)).not.toMatch(
      new RegExp(`${b.cart.orderId}|${b.productId}|${b.cart.lineId}|${bContent.itemId}|${bContent.suggestionId}|B's page`),
    );
  });
});
