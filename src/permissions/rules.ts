import { GraphQLError } from 'graphql';
import { allow, rule } from 'graphql-shield';
import type { Context } from '../context';
import { Role } from '../entities/states';

export const unauthenticated = () => new GraphQLError('Authentication required', { extensions: { code: 'UNAUTHENTICATED' } });
export const forbidden = () => new GraphQLError('Not allowed', { extensions: { code: 'FORBIDDEN' } });

/** Credentials presented and refused answer UNAUTHENTICATED wherever an identity is needed. */
function needAdmin(ctx: Context) {
  return ctx.admin && !ctx.authFailed ? ctx.admin : null;
}

/** No admin: a signed-in customer is an identity without the role (FORBIDDEN); anyone else is not signed in. */
const notAdmin = (ctx: Context) => (ctx.customer && !ctx.authFailed ? forbidden() : unauthenticated());

/** Anyone: the public catalogue, site facts, login, a new cart. */
export const isPublic = allow;

/** A field of an object the caller was handed by an operation that passed its own rule. */
export const isReachable = allow;

// Every rule below is `no_cache`: shield caches by rule name only, and a rule that reads arguments (siteId) must
// never answer from another field's cache. Rules guard root fields only, so caching would save nothing anyway.

export const isAdmin = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => (needAdmin(ctx) ? true : notAdmin(ctx)));

export const isSuperAdmin = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => {
  const admin = needAdmin(ctx);
  if (!admin) return notAdmin(ctx);
  return admin.role === Role.SUPER_ADMIN ? true : forbidden();
});

/** SUPER_ADMIN, or a SITE_ADMIN granted args.siteId (grants are read from the database per request). */
export const isAdminOfSite = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  const admin = needAdmin(ctx);
  if (!admin) return notAdmin(ctx);
  if (admin.role === Role.SUPER_ADMIN) return true;
  return typeof args.siteId === 'string' && admin.siteIds.includes(args.siteId) ? true : forbidden();
});

/** A field of a site's object for its admins only (the parent's siteId): a product's stock ledger. */
export const isAdminOfParentSite = rule({ cache: 'no_cache' })((parent: { siteId?: string }, _a, ctx: Context) => {
  const admin = needAdmin(ctx);
  if (!admin) return notAdmin(ctx);
  if (admin.role === Role.SUPER_ADMIN) return true;
  return typeof parent.siteId === 'string' && admin.siteIds.includes(parent.siteId) ? true : forbidden();
});

/**
 * A shopper of args.siteId: a signed-in customer of that site, or a visitor (an X-Cart-Token). Which cart or
 * order it owns is decided by the domain. A customer's token names one site and is refused on any other, even
 * beside a cart token (never downgraded to a guest).
 */
function shopper(ctx: Context, siteId: unknown): true | GraphQLError | null {
  if (ctx.authFailed) return unauthenticated();
  if (ctx.customer) return ctx.customer.siteId === siteId ? true : forbidden();
  return ctx.visitor ? true : null;
}

export const isShopper = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  const allowed = shopper(ctx, args.siteId);
  if (allowed) return allowed;
  return ctx.admin ? forbidden() : unauthenticated();
});

/** `order`: an admin of the site, or a shopper (held to its own orders by the domain). */
export const isShopperOrAdminOfSite = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  if (ctx.authFailed) return unauthenticated();
  const admin = ctx.admin;
  if (admin)
    return admin.role === Role.SUPER_ADMIN || (typeof args.siteId === 'string' && admin.siteIds.includes(args.siteId)) ? true : forbidden();
  return shopper(ctx, args.siteId) ?? unauthenticated();
});

/**
 * A signed-in customer of args.siteId (added by 12B for myOrders; 12A owns it). A customer of another site, or an
 * admin: FORBIDDEN; nobody signed in (a cart token is no customer): UNAUTHENTICATED.
 */
export const isCustomerOfSite = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  if (ctx.authFailed) return unauthenticated();
  if (ctx.customer) return ctx.customer.siteId === args.siteId ? true : forbidden();
  return ctx.admin ? forbidden() : unauthenticated();
});

/** `createCart`: anyone, as today; but a customer's token of another site is refused, not dropped for a guest cart. */
export const mayCreateCart = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) =>
  ctx.customer && !ctx.authFailed && ctx.customer.siteId !== args.siteId ? forbidden() : true,
);
