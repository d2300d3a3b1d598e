/**
 * The MikroORM filter that scopes every find, count, update and delete of a tenant entity to the site of the
 * transaction (src/domain/tx.ts sets its argument). It is on by default and takes a required argument, so a
 * query of a tenant entity outside a site-bound transaction throws instead of reading across sites. Row-level
 * security in PostgreSQL is the second layer: it also binds raw SQL and QueryBuilder, which this filter does not.
 */
export const SITE_FILTER = 'site';

/** Entities with a site_id column under row-level security (test/authority/rls.test.ts checks the list is whole). */
export const TENANT_ENTITIES = [
  'Product',
  'Order',
  'OrderLine',
  'PaymentAttempt',
  'PaymentFailure',
  'StockMovement',
  'AuditEntry',
  'ContentItem',
  'ContentVersion',
  'Suggestion',
  'Customer',
  'CustomerAddress',
  'PasswordReset',
];

export interface SiteFilterArgs {
  /** null in a platform transaction: only rows without a site (platform audit entries) match. */
  siteId: string | null;
}

export const siteFilter = {
  name: SITE_FILTER,
  cond: (args: SiteFilterArgs) => ({ siteId: args.siteId }),
  entity: TENANT_ENTITIES,
  default: true,
};
