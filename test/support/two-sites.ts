import { AdminLoginDocument, CreateSiteAdminDocument } from '../../clients/generated/graphql';
import type { TestAegis } from './aegis';
import { addToCart, createCart, createProduct, createSite } from './flows';

export const ADMIN_PASSWORD = 'site-admin-password-1';

export async function login(t: TestAegis, email: string, password = ADMIN_PASSWORD): Promise<string> {
  const r = await t.op(AdminLoginDocument, { email, password });
  if (!r.data?.adminLogin.token) throw new Error(`login of ${email} failed: ${JSON.stringify(r)}`);
  return r.data.adminLogin.token;
}

export async function createSiteAdmin(t: TestAegis, email: string, siteIds: string[]): Promise<string> {
  const r = await t.op(CreateSiteAdminDocument, { input: { email, password: ADMIN_PASSWORD, siteIds } }, { token: await t.superToken() });
  if (!r.data?.createSiteAdmin.admin) throw new Error(`createSiteAdmin failed: ${JSON.stringify(r)}`);
  return r.data.createSiteAdmin.admin.id;
}

export interface SiteFixture {
  siteId: string;
  productId: string;
  adminId: string;
  adminToken: string;
  /** A cart with one line. */
  cart: { cartToken: string; orderId: string; lineId: string };
}

/** A site with a product, its own SITE_ADMIN (logged in) and a visitor's cart holding one line. */
export async function siteFixture(t: TestAegis, name: string): Promise<SiteFixture> {
  const siteId = await createSite(t, name);
  const productId = await createProduct(t, siteId, `SKU-${name}`, 1000);
  const email = `admin-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@aegis.test`;
  const adminId = await createSiteAdmin(t, email, [siteId]);
  const cart = await createCart(t, siteId);
  const added = await addToCart(t, cart.cartToken, siteId, productId, 1);
  const lineId = added.data?.addToCart.order?.lines[0]?.id;
  if (!lineId) throw new Error(`addToCart failed: ${JSON.stringify(added)}`);
  return { siteId, productId, adminId, adminToken: await login(t, email), cart: { ...cart, lineId } };
}
