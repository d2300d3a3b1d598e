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

/** Anyone: the public catalogue, site facts, login, a new cart. */
export const isPublic = allow;

/** A field of an object the caller was handed by an operation that passed its own rule. */
export const isReachable = allow;

// Every rule below is `no_cache`: shield caches by rule name only, and a rule that reads arguments (siteId) must
// never answer from another field's cache. Rules guard root fields only, so caching would save nothing anyway.

export const isAdmin = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => (needAdmin(ctx) ? true : unauthenticated()));

export const isSuperAdmin = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => {
  const admin = needAdmin(ctx);
  if (!admin) return unauthenticated();
  return admin.role === Role.SUPER_ADMIN ? true : forbidden();
});

/** SUPER_ADMIN, or a SITE_ADMIN granted args.siteId (grants are read from the database per request). */
export const isAdminOfSite = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  const admin = needAdmin(ctx);
  if (!admin) return unauthenticated();
  if (admin.role === Role.SUPER_ADMIN) return true;
  return typeof args.siteId === 'string' && admin.siteIds.includes(args.siteId) ? true : forbidden();
});

/** A visitor: holds an X-Cart-Token. Which cart it owns is decided by the domain, from the token alone. */
export const isVisitor = rule({ cache: 'no_cache' })((_p, _a, ctx: Context) => {
  if (ctx.authFailed) return unauthenticated();
  if (ctx.visitor) return true;
  return ctx.admin ? forbidden() : unauthenticated();
});

/** `order`: an admin of the site, or a visitor (held to its own order by the domain). */
export const isVisitorOrAdminOfSite = rule({ cache: 'no_cache' })((_p, args: { siteId?: string }, ctx: Context) => {
  if (ctx.authFailed) return unauthenticated();
  const admin = ctx.admin;
  if (admin)
    return admin.role === Role.SUPER_ADMIN || (typeof args.siteId === 'string' && admin.siteIds.includes(args.siteId)) ? true : forbidden();
  return ctx.visitor ? true : unauthenticated();
});
