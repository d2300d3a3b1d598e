import { GraphQLError, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { middleware, type IMiddlewareFunction, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, shield } from 'graphql-shield';
import type { Context } from '../context';
import { databaseUnreachable, serviceUnavailable } from '../http/service-unavailable';
import {
  forbidden,
  isAdmin,
  isAdminOfParentSite,
  isAdminOfSite,
  isCustomerOfSite,
  isPublic,
  isReachable,
  isShopper,
  isShopperOrAdminOfSite,
  isSuperAdmin,
  mayCreateCart,
} from './rules';

/** `{ a: rule, b: rule }`: the fields of one object type that share a rule, named one by one. */
const each = <R, F extends string>(rule: R, ...fields: F[]) => Object.fromEntries(fields.map((f) => [f, rule])) as Record<F, R>;

/**
 * THE rule map: every field of every object type names its rule; anything missing is denied (fallbackRule) and
 * fails test/authority/schema-rules.test.ts. Query and Mutation fields decide who may act; the fields of the
 * objects they return are `isReachable`: readable by whoever was allowed the operation that returned them.
 */
export const ruleMap = {
  Query: {
    products: isPublic,
    site: isPublic,
    cart: isShopper,
    order: isShopperOrAdminOfSite,
    me: isAdmin,
    orders: isAdminOfSite,
    myOrders: isCustomerOfSite,
    auditLog: isAdminOfSite,
    contentItem: isAdminOfSite,
    contentItems: isAdminOfSite,
    suggestions: isAdminOfSite,
    customer: isCustomerOfSite,
    customers: isAdminOfSite,
    siteCustomer: isAdminOfSite,
    siteStats: isAdminOfSite,
    sites: isAdmin,
    admins: isSuperAdmin,
  },
  Mutation: {
    createCart: mayCreateCart,
    addToCart: isShopper,
    updateCartLine: isShopper,
    setCheckoutDetails: isShopper,
    checkout: isShopper,
    retryPayment: isShopper,
    adminLogin: isPublic,
    adminLogoutAll: isAdmin,
    createSite: isSuperAdmin,
    createSiteAdmin: isSuperAdmin,
    setAdminSites: isSuperAdmin,
    setAdminDisabled: isSuperAdmin,
    setAiEnabled: isSuperAdmin,
    createProduct: isAdminOfSite,
    updateProduct: isAdminOfSite,
    refundOrder: isAdminOfSite,
    setStock: isAdminOfSite,
    adjustStock: isAdminOfSite,
    createContentItem: isAdminOfSite,
    reviseContent: isAdminOfSite,
    requestSuggestion: isAdminOfSite,
    approveSuggestion: isAdminOfSite,
    rejectSuggestion: isAdminOfSite,
    customerSignUp: isPublic,
    customerLogin: isPublic,
    requestPasswordReset: isPublic,
    resetPassword: isPublic,
    customerLogout: isCustomerOfSite,
    updateCustomerProfile: isCustomerOfSite,
    addCustomerAddress: isCustomerOfSite,
    removeCustomerAddress: isCustomerOfSite,
    setCustomerDisabled: isAdminOfSite,
  },
  UserError: each(isReachable, 'code', 'message', 'field'),
  PageInfo: each(isReachable, 'hasNextPage', 'endCursor'),
  Site: each(isReachable, 'id', 'name', 'currency', 'aiEnabled', 'createdAt'),
  Admin: each(isReachable, 'id', 'email', 'role', 'siteIds', 'disabled'),
  Product: {
    ...each(isReachable, 'id', 'siteId', 'sku', 'name', 'priceMinor', 'currency', 'stockOnHand', 'available'),
    stockMovements: isAdminOfParentSite,
  },
  StockMovement: each(isReachable, 'id', 'kind', 'orderId', 'onHandDelta', 'reservedDelta', 'reason', 'actor', 'at'),
  StockMovementEdge: each(isReachable, 'cursor', 'node'),
  StockMovementConnection: each(isReachable, 'edges', 'pageInfo'),
  ProductEdge: each(isReachable, 'cursor', 'node'),
  ProductConnection: each(isReachable, 'edges', 'pageInfo'),
  Address: each(isReachable, 'name', 'line1', 'line2', 'city', 'postalCode', 'country'),
  OrderLine: each(isReachable, 'id', 'product', 'quantity', 'unitPriceMinor', 'lineTotalMinor', 'available'),
  OrderEvent: each(isReachable, 'at', 'from', 'to', 'actor', 'reason'),
  SiteStats: each(isReachable, 'siteId', 'currency', 'from', 'days', 'paymentFailures', 'needsRefund', 'disputes', 'openDisputes'),
  SiteStatsDay: each(isReachable, 'date', 'orders', 'revenueMinor'),
  SiteConnection: each(isReachable, 'edges', 'pageInfo'),
  SiteEdge: each(isReachable, 'cursor', 'node'),
  AdminConnection: each(isReachable, 'edges', 'pageInfo'),
  AdminEdge: each(isReachable, 'cursor', 'node'),
  PaymentSession: each(isReachable, 'id', 'clientSecret', 'publishableKey', 'sandboxUrl'),
  PaymentDispute: each(isReachable, 'id', 'status', 'reason', 'amountMinor', 'closed'),
  PaymentAttempt: each(isReachable, 'id', 'status', 'amountMinor', 'createdAt', 'failureReason', 'needsRefund', 'refundedMinor', 'dispute'),
  Order: each(
    isReachable,
    'id',
    'siteId',
    'state',
    'currency',
    'totalMinor',
    'email',
    'shippingAddress',
    'billingAddress',
    'failureReason',
    'recoveryDeadline',
    'createdAt',
    'updatedAt',
    'lines',
    'paymentAttempts',
    'paymentSession',
    'needsRefund',
    'disputed',
    'disputeOutcome',
    'history',
  ),
  OrderEdge: each(isReachable, 'cursor', 'node'),
  OrderConnection: each(isReachable, 'edges', 'pageInfo'),
  ContentVersion: each(isReachable, 'number', 'body', 'source', 'suggestionId', 'createdBy', 'createdAt'),
  ContentItem: each(isReachable, 'id', 'siteId', 'slug', 'title', 'currentVersion', 'versions'),
  Suggestion: each(
    isReachable,
    'id',
    'siteId',
    'contentItemId',
    'status',
    'instruction',
    'body',
    'baseVersion',
    'model',
    'createdAt',
    'decidedAt',
    'decidedBy',
    'rejectionReason',
    'createdVersion',
  ),
  AuditEntry: each(isReachable, 'id', 'at', 'actor', 'action', 'entity', 'entityId', 'detail'),
  AuditEntryEdge: each(isReachable, 'cursor', 'node'),
  AuditEntryConnection: each(isReachable, 'edges', 'pageInfo'),
  AdminLoginPayload: each(isReachable, 'token', 'admin', 'userErrors'),
  SitePayload: each(isReachable, 'site', 'userErrors'),
  AdminPayload: each(isReachable, 'admin', 'userErrors'),
  AdminLogoutAllPayload: each(isReachable, 'admin', 'userErrors'),
  ProductPayload: each(isReachable, 'product', 'userErrors'),
  CreateCartPayload: each(isReachable, 'cartToken', 'order', 'userErrors'),
  OrderPayload: each(isReachable, 'order', 'userErrors'),
  CheckoutPayload: each(isReachable, 'order', 'paymentSession', 'userErrors'),
  ContentItemPayload: each(isReachable, 'contentItem', 'userErrors'),
  SuggestionPayload: each(isReachable, 'suggestion', 'userErrors'),
  Customer: each(isReachable, 'id', 'siteId', 'email', 'name', 'disabled', 'createdAt', 'addresses'),
  CustomerAddress: each(isReachable, 'id', 'name', 'line1', 'line2', 'city', 'postalCode', 'country', 'createdAt'),
  CustomerEdge: each(isReachable, 'cursor', 'node'),
  CustomerConnection: each(isReachable, 'edges', 'pageInfo'),
  CustomerSignUpPayload: each(isReachable, 'accepted', 'userErrors'),
  CustomerLoginPayload: each(isReachable, 'token', 'customer', 'cart', 'userErrors'),
  CustomerPayload: each(isReachable, 'customer', 'userErrors'),
  CustomerAddressPayload: each(isReachable, 'address', 'customer', 'userErrors'),
  PasswordResetPayload: each(isReachable, 'accepted', 'userErrors'),
};

/**
 * The shield, with `allow` fields answered without its asynchronous wrapper. Shield would await `allow` and then
 * the resolver for every field of every row, turning each synchronous property read into promises: about a tenth
 * of a purchase's server CPU in the bench (bench/README.md). An `allow` field gets a synchronous wrapper instead
 * that only masks what its resolver throws or rejects with, exactly as shield's fallbackError does. Every other
 * field keeps shield's own wrapper: the named rules, and the fallback `deny` of anything the map does not name.
 */
export function permissions() {
  const guard = shield(ruleMap, {
    fallbackRule: deny,
    fallbackError: (thrown, _parent, _args, ctx, info) => (thrown ? masked(thrown, ctx as unknown as Context, info) : forbidden()),
    allowExternalErrors: false,
    debug: false,
  });
  return middleware((schema: GraphQLSchema) => {
    const generated = guard.generate(schema) as Record<string, Record<string, unknown>>;
    const rules = ruleMap as unknown as Record<string, Record<string, unknown>>;
    for (const [typeName, fields] of Object.entries(generated))
      for (const name of Object.keys(fields)) if (rules[typeName]?.[name] === allow) fields[name] = maskingErrors;
    return generated as IMiddlewareTypeMap;
  });
}

/** An `allow` field: its resolver's value as it comes (a plain value stays synchronous), its failure masked. */
const maskingErrors: IMiddlewareFunction<unknown, Context> = (resolve, parent, args, ctx, info) => {
  try {
    const value = resolve(parent, args, ctx, info);
    return isPromise(value) ? value.catch((err: unknown) => masked(err, ctx, info)) : value;
  } catch (err) {
    return masked(err, ctx, info);
  }
};

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown> | null)?.then === 'function';

/** A resolver threw (a bug) or the database is out: never leak it. */
function masked(thrown: unknown, ctx: Context, info: GraphQLResolveInfo): GraphQLError {
  const field = `${info.parentType.name}.${info.fieldName}`;
  // An outage, not a bug: one line with the driver's reason, and an answer the client may retry.
  const unreachable = databaseUnreachable(thrown);
  if (unreachable) {
    ctx.deps.log.error({ requestId: ctx.requestId, field, reason: unreachable }, 'database unreachable');
    return serviceUnavailable();
  }
  ctx.deps.log.error({ err: thrown, requestId: ctx.requestId, field }, 'resolver failed');
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
