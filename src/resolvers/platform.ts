import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { adminLogin, adminLogoutAll, createSiteAdmin, getAdmin, setAdminDisabled, setAdminSites } from '../domain/identity/admins';
import { createSite, getSite, setAiEnabled } from '../domain/site/sites';
import { CreateSiteAdminInput, CreateSiteInput } from '../schema/inputs';
import { AdminLoginPayload, AdminLogoutAllPayload, AdminPayload, SitePayload } from '../schema/payloads';
import { Admin, Site } from '../schema/types';
import { payload } from './mappers';

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
