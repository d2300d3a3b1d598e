import { GraphQLError } from 'graphql';
import { deny, shield } from 'graphql-shield';
import type { Context } from '../context';
import { forbidden, isAdmin, isAdminOfSite, isPublic, isSuperAdmin, isVisitor, isVisitorOrAdminOfSite } from './rules';

/**
 * THE rule map: every Query and Mutation field names its rule; everything else is denied. Object types are
 * reachable only through an operation that passed its rule, so their fields are allowed type by type.
 */
export const ruleMap = {
  Query: {
    products: isPublic,
    site: isPublic,
    cart: isVisitor,
    order: isVisitorOrAdminOfSite,
    me: isAdmin,
    orders: isAdminOfSite,
    auditLog: isAdminOfSite,
    contentItem: isAdminOfSite,
    contentItems: isAdminOfSite,
    suggestions: isAdminOfSite,
  },
  Mutation: {
    createCart: isPublic,
    addToCart: isVisitor,
    updateCartLine: isVisitor,
    setCheckoutDetails: isVisitor,
    checkout: isVisitor,
    retryPayment: isVisitor,
    adminLogin: isPublic,
    createSite: isSuperAdmin,
    createSiteAdmin: isSuperAdmin,
    setAdminSites: isSuperAdmin,
    setAdminDisabled: isSuperAdmin,
    setAiEnabled: isSuperAdmin,
    createProduct: isAdminOfSite,
    refundOrder: isAdminOfSite,
    createContentItem: isAdminOfSite,
    reviseContent: isAdminOfSite,
    requestSuggestion: isAdminOfSite,
    approveSuggestion: isAdminOfSite,
    rejectSuggestion: isAdminOfSite,
  },
};

/** Object types whose every field is readable once the operation that returned them was allowed. */
export const OPEN_TYPES = [
  'UserError', 'PageInfo', 'Site', 'Admin', 'Product', 'ProductEdge', 'ProductConnection', 'Address', 'OrderLine',
  'OrderEvent', 'PaymentSession', 'PaymentAttempt', 'Order', 'OrderEdge', 'OrderConnection', 'ContentVersion',
  'ContentItem', 'Suggestion', 'AuditEntry', 'AuditEntryEdge', 'AuditEntryConnection', 'AdminLoginPayload',
  'SitePayload', 'AdminPayload', 'ProductPayload', 'CreateCartPayload', 'OrderPayload', 'CheckoutPayload',
  'ContentItemPayload', 'SuggestionPayload',
] as const;

export function permissions() {
  const typeRules = Object.fromEntries(OPEN_TYPES.map((t) => [t, isPublic]));
  return shield(
    { ...typeRules, ...ruleMap },
    {
      fallbackRule: deny,
      // Called with null for a denied field, and with the error when a resolver threw (a bug): never leak it.
      fallbackError: (thrown, _parent, _args, shieldCtx, info) => {
        const ctx = shieldCtx as unknown as Context;
        if (!thrown) return forbidden();
        ctx.deps.log.error({ err: thrown, requestId: ctx.requestId, field: `${info.parentType.name}.${info.fieldName}` }, 'resolver failed');
        return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
      allowExternalErrors: false,
      debug: false,
    },
  );
}
