import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import {
  adminLogin,
  adminLogoutAll,
  createSiteAdmin,
  getAdmin,
  listAdmins,
  setAdminDisabled,
  setAdminSites,
} from '../domain/identity/admins';
import { createSite, getSite, listSites, setAiEnabled } from '../domain/site/sites';
import { AdminConnection, SiteConnection } from '../schema/console-types';
import { CreateSiteAdminInput, CreateSiteInput } from '../schema/inputs';
import { AdminLoginPayload, AdminLogoutAllPayload, AdminPayload, SitePayload } from '../schema/payloads';
import { Admin, Site } from '../schema/types';
import { connection, payload } from './mappers';

/** Shield lets an admin operation through only for an authenticated admin: its absence here is a bug. */
export function adminOf(ctx: Context) {
  if (!ctx.admin) throw new Error('admin operation reached without an admin');
  return ctx.admin;
}

const same = <T>(v: T) => v;

@Resolver()
export class PlatformResolver {
  @Query(() => Site, { nullable: true })
  site(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<Site | null> {
    return getSite(ctx.em, siteId);
  }

  @Query(() => SiteConnection, {
    description: 'The sites the caller may administer: every site for a super admin, the granted ones otherwise.',
  })
  async sites(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<SiteConnection> {
    return connection(await listSites(ctx.em, adminOf(ctx), { first, after }), same);
  }

  @Query(() => AdminConnection, {
    description: 'Every admin (super admins only). Each carries up to 100 site grants, so a page costs about 100 per admin: 20 by default.',
  })
  async admins(
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<AdminConnection> {
    return connection(await listAdmins(ctx.em, { first, after }), same);
  }

  @Query(() => Admin, { nullable: true })
  me(@Ctx() ctx: Context): Promise<Admin | null> {
    return getAdmin(ctx.em, adminOf(ctx).adminId);
  }

  @Mutation(() => AdminLoginPayload)
  async adminLogin(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<AdminLoginPayload> {
    const result = await adminLogin(ctx.em, ctx.deps, { email, password, clientKey: ctx.clientKey });
    return result.ok ? { ...result.value, userErrors: [] } : { token: null, admin: null, userErrors: result.errors };
  }

  @Mutation(() => AdminLogoutAllPayload, {
    description: 'Ends every session of the calling admin: all its tokens, this one included, are refused from the next request on.',
  })
  async adminLogoutAll(@Ctx() ctx: Context): Promise<AdminLogoutAllPayload> {
    return payload('admin', await adminLogoutAll(ctx.em, ctx.deps, adminOf(ctx)), same);
  }

  @Mutation(() => SitePayload)
  async createSite(@Arg('input', () => CreateSiteInput) input: CreateSiteInput, @Ctx() ctx: Context): Promise<SitePayload> {
    return payload('site', await createSite(ctx.em, ctx.deps, adminOf(ctx), input), same);
  }

  @Mutation(() => AdminPayload)
  async createSiteAdmin(@Arg('input', () => CreateSiteAdminInput) input: CreateSiteAdminInput, @Ctx() ctx: Context): Promise<AdminPayload> {
    return payload('admin', await createSiteAdmin(ctx.em, ctx.deps, adminOf(ctx), input), same);
  }

  @Mutation(() => AdminPayload)
  async setAdminSites(
    @Arg('adminId', () => ID) adminId: string,
    @Arg('siteIds', () => [ID]) siteIds: string[],
    @Ctx() ctx: Context,
  ): Promise<AdminPayload> {
    return payload('admin', await setAdminSites(ctx.em, ctx.deps, adminOf(ctx), adminId, siteIds), same);
  }

  @Mutation(() => AdminPayload)
  async setAdminDisabled(
    @Arg('adminId', () => ID) adminId: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
    @Ctx() ctx: Context,
  ): Promise<AdminPayload> {
    return payload('admin', await setAdminDisabled(ctx.em, ctx.deps, adminOf(ctx), adminId, disabled), same);
  }

  @Mutation(() => SitePayload)
  async setAiEnabled(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('enabled', () => Boolean) enabled: boolean,
    @Ctx() ctx: Context,
  ): Promise<SitePayload> {
    return payload('site', await setAiEnabled(ctx.em, ctx.deps, adminOf(ctx), { siteId, enabled }), same);
  }
}
