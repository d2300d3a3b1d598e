import { CONTENT_PAGE } from '../domain/content/queries';
import { CONTENT_LIMITS } from '../domain/content/validation';
import { CUSTOMER_PAGE, MAX_ADDRESSES } from '../domain/identity/customers';
import { MAX_CART_LINES } from '../domain/order/cart';
import { MAX_STATS_DAYS } from '../domain/site/site-stats';
import { LIMITS } from '../domain/validation';

/** The most a query may cost (README "Limits"): a field costs 1, its children as many times as its list can hold. */
export const MAX_COST = 5000;

/** A text field costs 1 per 1,000 characters it may hold (at least 1), so asking for big bodies costs what they weigh. */
const weight = (maxChars: number) => Math.max(1, Math.ceil(maxChars / 1000));

/** Fields heavier than a scalar. */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'ContentVersion.body': weight(LIMITS.body),
  'Suggestion.body': weight(LIMITS.body),
  'Suggestion.instruction': weight(CONTENT_LIMITS.instruction),
  'Suggestion.rejectionReason': weight(CONTENT_LIMITS.reason),
  // Composed of an action's reason (up to 2,000 characters) and its facts.
  'AuditEntry.detail': 3,
};

/** pageSize()'s numbers (src/domain/pagination.ts): `first` defaults to 50, at most LIMITS.pageSize. */
const PAGE = { default: 50, max: LIMITS.pageSize } as const;

/**
 * Fields with a `first` argument: their children count `first` times (its default when omitted or null), clamped as
 * the server clamps it. A connection multiplies its `edges` and `pageInfo` alike: a little over, never under.
 */
export const PAGED: Readonly<Record<string, { default: number; max: number }>> = {
  'Query.products': PAGE,
  'Query.orders': PAGE,
  'Query.myOrders': PAGE,
  'Query.auditLog': PAGE,
  'Query.sites': PAGE,
  // An admin carries its site grants (Admin.siteIds, 100 assumed): a smaller default page keeps one within MAX_COST.
  'Query.admins': { default: 20, max: LIMITS.pageSize },
  'Query.customers': CUSTOMER_PAGE,
  'Query.contentItems': CONTENT_PAGE,
  'Query.suggestions': CONTENT_PAGE,
  'ContentItem.versions': CONTENT_PAGE,
  'Order.paymentAttempts': PAGE,
  'Order.history': PAGE,
  'Product.stockMovements': PAGE,
};

/**
 * Lists without `first`: the size the cost assumes. Each is a hard bound the server keeps, or (marked) an
 * assumption about data only a super admin or our own code writes. A list field missing from both tables fails
 * the server's start (assertListsSized).
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'Order.lines': MAX_CART_LINES,
  // Sized by the parent's `first`.
  'ProductConnection.edges': 1,
  'OrderConnection.edges': 1,
  'AuditEntryConnection.edges': 1,
  'CustomerConnection.edges': 1,
  'StockMovementConnection.edges': 1,
  'SiteConnection.edges': 1,
  'AdminConnection.edges': 1,
  // The dashboard's days, clamped by siteStats.
  'SiteStats.days': MAX_STATS_DAYS,
  // The cap addCustomerAddress keeps.
  'Customer.addresses': MAX_ADDRESSES,
  // Assumed: sites are granted by a super admin only.
  'Admin.siteIds': 100,
  // The errors of one command's input (checkout details have 13 fields), and a field's path.
  '*.userErrors': 15,
  'UserError.field': 3,
};

/** Introspection's lists (types, fields, arguments...): development only, production refuses introspection. */
export const INTROSPECTION_LIST_SIZE = 20;
