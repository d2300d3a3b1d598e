import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import {
  AddToCartDocument,
  ApproveSuggestionDocument,
  AuditLogDocument,
  CartDocument,
  CreateCartDocument,
  CurrentCustomerDocument,
  CustomerOrdersDocument,
  MyOrdersDocument,
  RemoveCustomerAddressDocument,
  SetCustomerDisabledDocument,
  SiteCustomerDocument,
  CheckoutDocument,
  ContentItemDocument,
  ContentItemsDocument,
  CreateContentItemDocument,
  CreateProductDocument,
  OrderDocument,
  OrdersDocument,
  RefundOrderDocument,
  RejectSuggestionDocument,
  RequestSuggestionDocument,
  RetryPaymentDocument,
  ReviseContentDocument,
  SetAiEnabledDocument,
  SetCheckoutDetailsDocument,
  StorefrontOrderDocument,
  SuggestionsDocument,
  UpdateCartLineDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type Headers, type TestAegis } from '../support/aegis';
import { openDbState, type DbState } from '../support/db-state';
import { DETAILS, savedAddressOf, signedInCustomer } from '../support/flows';
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
/** A signed-in customer of each site (with a cart of its own on A), and a saved address of B's customer. */
let customerOfA: { customerId: string; token: string };
let customerOfB: { customerId: string; token: string };
let bAddressId: string;

beforeAll(async () => {
  t = await startTestAegis();
  db = await openDbState(t.dbUrl);
  a = await siteFixture(t, 'A');
  b = await siteFixture(t, 'B');
  const token = await t.superToken();
  for (const siteId of [a.siteId, b.siteId]) await t.op(SetAiEnabledDocument, { siteId, enabled: true }, { token });
  const item = await t.op(
    CreateContentItemDocument,
    { siteId: b.siteId, input: { slug: 'about', title: 'About', body: "B's page" } },
    { token },
  );
  const itemId = item.data!.createContentItem.contentItem!.id;
  const sug = await t.op(RequestSuggestionDocument, { siteId: b.siteId, contentItemId: itemId, instruction: 'shorter' }, { token });
  bContent = { itemId, suggestionId: sug.data!.requestSuggestion.suggestion!.id };
  customerOfA = await signedInCustomer(t, a.siteId);
  customerOfB = await signedInCustomer(t, b.siteId);
  bAddressId = await savedAddressOf(t, b.siteId, customerOfB.customerId);
  await t.op(CreateCartDocument, { siteId: a.siteId }, { token: customerOfA.token });
});
afterAll(async () => {
  await db.close();
  await t.close();
});

type Caller = 'visitor of A' | 'admin of A' | 'super' | 'customer of A';
interface Case<D extends TypedDocumentNode<any, any> = TypedDocumentNode<any, any>> {
  caller: Caller;
  doc: D;
  /** Variables with site B's id, and the same with an id that does not exist. */
  foreign: () => VariablesOf<D>;
  unknown: () => VariablesOf<D>;
}
/** A case whose variables are typed by its document. */
const kase = <D extends TypedDocumentNode<any, any>>(c: Case<D>): Case => c;

const headersOf = async (caller: Caller): Promise<Headers> =>
  caller === 'customer of A'
    ? { token: customerOfA.token }
    : caller === 'visitor of A'
      ? { cartToken: a.cart.cartToken }
      : caller === 'admin of A'
        ? { token: a.adminToken }
        : { token: await t.superToken() };

const CASES: Record<string, Case> = {
  // A signed-in customer of site A, and site A's admin reading customers: site B's customers, their addresses and orders are nowhere.
  "order: B's order on site A (customer)": kase({
    caller: 'customer of A',
    doc: StorefrontOrderDocument,
    foreign: () => ({ siteId: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "addToCart: B's product (customer)": kase({
    caller: 'customer of A',
    doc: AddToCartDocument,
    foreign: () => ({ siteId: a.siteId, productId: b.productId, quantity: 1 }),
    unknown: () => ({ siteId: a.siteId, productId: UNKNOWN, quantity: 1 }),
  }),
  "setCheckoutDetails: B's customer's saved address (customer)": kase({
    caller: 'customer of A',
    doc: SetCheckoutDetailsDocument,
    foreign: () => ({
      siteId: a.siteId,
      input: { email: DETAILS.email, shippingAddressId: bAddressId, billingAddress: DETAILS.billingAddress },
    }),
    unknown: () => ({
      siteId: a.siteId,
      input: { email: DETAILS.email, shippingAddressId: UNKNOWN, billingAddress: DETAILS.billingAddress },
    }),
  }),
  "removeCustomerAddress: B's customer's address (customer)": kase({
    caller: 'customer of A',
    doc: RemoveCustomerAddressDocument,
    foreign: () => ({ siteId: a.siteId, addressId: bAddressId }),
    unknown: () => ({ siteId: a.siteId, addressId: UNKNOWN }),
  }),
  'customer: a token of site A on site B': kase({
    caller: 'customer of A',
    doc: CurrentCustomerDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  'myOrders: a token of site A on site B': kase({
    caller: 'customer of A',
    doc: MyOrdersDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  "siteCustomer: B's customer on site A": kase({
    caller: 'admin of A',
    doc: SiteCustomerDocument,
    foreign: () => ({ siteId: a.siteId, id: customerOfB.customerId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "setCustomerDisabled: B's customer on site A": kase({
    caller: 'admin of A',
    doc: SetCustomerDisabledDocument,
    foreign: () => ({ siteId: a.siteId, customerId: customerOfB.customerId, disabled: true }),
    unknown: () => ({ siteId: a.siteId, customerId: UNKNOWN, disabled: true }),
  }),
  "orders: B's customer on site A": kase({
    caller: 'admin of A',
    doc: CustomerOrdersDocument,
    foreign: () => ({ siteId: a.siteId, customerId: customerOfB.customerId }),
    unknown: () => ({ siteId: a.siteId, customerId: UNKNOWN }),
  }),
  'cart on site B': kase({
    caller: 'visitor of A',
    doc: CartDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  "order: B's order on site A (visitor)": kase({
    caller: 'visitor of A',
    doc: StorefrontOrderDocument,
    foreign: () => ({ siteId: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "order: B's order on site B (visitor)": kase({
    caller: 'visitor of A',
    doc: StorefrontOrderDocument,
    foreign: () => ({ siteId: b.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: UNKNOWN, id: UNKNOWN }),
  }),
  "addToCart: B's product": kase({
    caller: 'visitor of A',
    doc: AddToCartDocument,
    foreign: () => ({ siteId: a.siteId, productId: b.productId, quantity: 1 }),
    unknown: () => ({ siteId: a.siteId, productId: UNKNOWN, quantity: 1 }),
  }),
  'addToCart: on site B': kase({
    caller: 'visitor of A',
    doc: AddToCartDocument,
    foreign: () => ({ siteId: b.siteId, productId: b.productId, quantity: 1 }),
    unknown: () => ({ siteId: UNKNOWN, productId: b.productId, quantity: 1 }),
  }),
  "updateCartLine: B's line": kase({
    caller: 'visitor of A',
    doc: UpdateCartLineDocument,
    foreign: () => ({ siteId: a.siteId, lineId: b.cart.lineId, quantity: 5 }),
    unknown: () => ({ siteId: a.siteId, lineId: UNKNOWN, quantity: 5 }),
  }),
  "updateCartLine: B's line on site B": kase({
    caller: 'visitor of A',
    doc: UpdateCartLineDocument,
    foreign: () => ({ siteId: b.siteId, lineId: b.cart.lineId, quantity: 5 }),
    unknown: () => ({ siteId: UNKNOWN, lineId: b.cart.lineId, quantity: 5 }),
  }),
  'setCheckoutDetails: on site B': kase({
    caller: 'visitor of A',
    doc: SetCheckoutDetailsDocument,
    foreign: () => ({ siteId: b.siteId, input: DETAILS }),
    unknown: () => ({ siteId: UNKNOWN, input: DETAILS }),
  }),
  'checkout: on site B': kase({
    caller: 'visitor of A',
    doc: CheckoutDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  "retryPayment: B's order": kase({
    caller: 'visitor of A',
    doc: RetryPaymentDocument,
    foreign: () => ({ siteId: a.siteId, orderId: b.cart.orderId }),
    unknown: () => ({ siteId: a.siteId, orderId: UNKNOWN }),
  }),
  "order: B's order on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: OrderDocument,
    foreign: () => ({ siteId: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "order: B's order on site B (admin of A)": kase({
    caller: 'admin of A',
    doc: OrderDocument,
    foreign: () => ({ siteId: b.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: UNKNOWN, id: UNKNOWN }),
  }),
  'orders of site B': kase({
    caller: 'admin of A',
    doc: OrdersDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  'auditLog of site B': kase({
    caller: 'admin of A',
    doc: AuditLogDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  'createProduct on site B': kase({
    caller: 'admin of A',
    doc: CreateProductDocument,
    foreign: () => ({ siteId: b.siteId, input: { sku: 'X1', name: 'X', priceMinor: 1 } }),
    unknown: () => ({ siteId: UNKNOWN, input: { sku: 'X1', name: 'X', priceMinor: 1 } }),
  }),
  "refundOrder: B's order on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: RefundOrderDocument,
    foreign: () => ({ siteId: a.siteId, orderId: b.cart.orderId, reason: 'r' }),
    unknown: () => ({ siteId: a.siteId, orderId: UNKNOWN, reason: 'r' }),
  }),
  "refundOrder: B's order on site B (admin of A)": kase({
    caller: 'admin of A',
    doc: RefundOrderDocument,
    foreign: () => ({ siteId: b.siteId, orderId: b.cart.orderId, reason: 'r' }),
    unknown: () => ({ siteId: UNKNOWN, orderId: b.cart.orderId, reason: 'r' }),
  }),
  'contentItem of site B': kase({
    caller: 'admin of A',
    doc: ContentItemDocument,
    foreign: () => ({ siteId: b.siteId, id: UNKNOWN }),
    unknown: () => ({ siteId: UNKNOWN, id: UNKNOWN }),
  }),
  'contentItems of site B': kase({
    caller: 'admin of A',
    doc: ContentItemsDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  'suggestions of site B': kase({
    caller: 'admin of A',
    doc: SuggestionsDocument,
    foreign: () => ({ siteId: b.siteId }),
    unknown: () => ({ siteId: UNKNOWN }),
  }),
  'createContentItem on site B': kase({
    caller: 'admin of A',
    doc: CreateContentItemDocument,
    foreign: () => ({ siteId: b.siteId, input: { slug: 'x', title: 'X', body: 'x' } }),
    unknown: () => ({ siteId: UNKNOWN, input: { slug: 'x', title: 'X', body: 'x' } }),
  }),
  'reviseContent on site B': kase({
    caller: 'admin of A',
    doc: ReviseContentDocument,
    foreign: () => ({ siteId: b.siteId, contentItemId: UNKNOWN, body: 'x' }),
    unknown: () => ({ siteId: UNKNOWN, contentItemId: UNKNOWN, body: 'x' }),
  }),
  'requestSuggestion on site B': kase({
    caller: 'admin of A',
    doc: RequestSuggestionDocument,
    foreign: () => ({ siteId: b.siteId, contentItemId: UNKNOWN, instruction: 'x' }),
    unknown: () => ({ siteId: UNKNOWN, contentItemId: UNKNOWN, instruction: 'x' }),
  }),
  'approveSuggestion on site B': kase({
    caller: 'admin of A',
    doc: ApproveSuggestionDocument,
    foreign: () => ({ siteId: b.siteId, suggestionId: UNKNOWN }),
    unknown: () => ({ siteId: UNKNOWN, suggestionId: UNKNOWN }),
  }),
  'rejectSuggestion on site B': kase({
    caller: 'admin of A',
    doc: RejectSuggestionDocument,
    foreign: () => ({ siteId: b.siteId, suggestionId: UNKNOWN, reason: 'x' }),
    unknown: () => ({ siteId: UNKNOWN, suggestionId: UNKNOWN, reason: 'x' }),
  }),
  "contentItem: B's item on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: ContentItemDocument,
    foreign: () => ({ siteId: a.siteId, id: bContent.itemId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "suggestions: of B's item on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: SuggestionsDocument,
    foreign: () => ({ siteId: a.siteId, contentItemId: bContent.itemId }),
    unknown: () => ({ siteId: a.siteId, contentItemId: UNKNOWN }),
  }),
  "reviseContent: B's item on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: ReviseContentDocument,
    foreign: () => ({ siteId: a.siteId, contentItemId: bContent.itemId, body: 'taken over' }),
    unknown: () => ({ siteId: a.siteId, contentItemId: UNKNOWN, body: 'taken over' }),
  }),
  "requestSuggestion: B's item on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: RequestSuggestionDocument,
    foreign: () => ({ siteId: a.siteId, contentItemId: bContent.itemId, instruction: 'x' }),
    unknown: () => ({ siteId: a.siteId, contentItemId: UNKNOWN, instruction: 'x' }),
  }),
  "approveSuggestion: B's suggestion on site A (admin of A)": kase({
    caller: 'admin of A',
    doc: ApproveSuggestionDocument,
    foreign: () => ({ siteId: a.siteId, suggestionId: bContent.suggestionId }),
    unknown: () => ({ siteId: a.siteId, suggestionId: UNKNOWN }),
  }),
  "rejectSuggestion: B's suggestion on site A (super)": kase({
    caller: 'super',
    doc: RejectSuggestionDocument,
    foreign: () => ({ siteId: a.siteId, suggestionId: bContent.suggestionId, reason: 'no' }),
    unknown: () => ({ siteId: a.siteId, suggestionId: UNKNOWN, reason: 'no' }),
  }),
  "order: B's order on site A (super)": kase({
    caller: 'super',
    doc: OrderDocument,
    foreign: () => ({ siteId: a.siteId, id: b.cart.orderId }),
    unknown: () => ({ siteId: a.siteId, id: UNKNOWN }),
  }),
  "refundOrder: B's order on site A (super)": kase({
    caller: 'super',
    doc: RefundOrderDocument,
    foreign: () => ({ siteId: a.siteId, orderId: b.cart.orderId, reason: 'r' }),
    unknown: () => ({ siteId: a.siteId, orderId: UNKNOWN, reason: 'r' }),
  }),
};

describe("another site's id answers exactly like an id that does not exist, and changes nothing", () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name];
    const headers = await headersOf(c.caller);
    const before = await db.snapshot();
    const foreign = await t.op(c.doc, c.foreign(), headers);
    expect(await db.snapshot()).toEqual(before);
    const unknown = await t.op(c.doc, c.unknown(), headers);
    expect(await db.snapshot()).toEqual(before);
    expect(foreign).toEqual(unknown);
    expect(JSON.stringify(foreign)).not.toMatch(
      new RegExp(
        `${b.cart.orderId}|${b.productId}|${b.cart.lineId}|${bContent.itemId}|${bContent.suggestionId}|B's page|${customerOfB.customerId}|${bAddressId}`,
      ),
    );
  });
});
