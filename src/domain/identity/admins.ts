import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, AdminSite, PlatformAuditEntry, Role, Site } from '../../entities';
import type { AdminActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { afterCursor, decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { isUuid, onPlatform, readOnPlatform } from '../tx';
import { Validator } from '../validation';
import { emailTag, enterLogin, possibleEmail } from './login-limits';
import { checkPassword, decoyHash, hashPassword, verifyPassword } from './passwords';
import type { TokenClaims } from './tokens';

export interface AdminView {
  id: string;
  email: string;
  role: Role;
  siteIds: string[];
  disabled: boolean;
}

async function adminView(em: EntityManager, admin: Admin): Promise<AdminView> {
  const grants = await em.find(AdminSite, { adminId: admin.id }, { orderBy: { siteId: 'asc' } });
  return { id: admin.id, email: admin.email, role: admin.role, disabled: admin.disabled, siteIds: grants.map((g) => g.siteId) };
}

/**
 * The acting admin, read from the database on every request so a revocation, a disable or a logout holds at once:
 * a token issued at an older version of the admin is refused.
 */
export async function loadAdminActor(em: EntityManager, { adminId, version }: TokenClaims): Promise<AdminActor | null> {
  if (!isUuid(adminId)) return null;
  // Every admin request runs this: one hand-written statement (the admin and its grants) instead of two ORM
  // finds, which cost about 1 ms of CPU each more than the SELECT they send (bench/README.md). Sent on its own,
  // with no transaction around it (one round trip instead of three): one statement reads one snapshot, and
  // admins and admin_sites are platform tables without row-level security, so there is no site to bind.
  const [admin] = await em.execute<
    { id: string; email: string; role: Role; disabled: boolean; token_version: number; site_ids: string[] }[]
  >(
    `select a.id, a.email, a.role, a.disabled, a.token_version,
            coalesce(array_agg(g.site_id order by g.site_id) filter (where g.site_id is not null), '{}') as site_ids
       from admins a left join admin_sites g on g.admin_id = a.id
      where a.id = ? group by a.id`,
    [adminId],
  );
  if (!admin || admin.disabled || admin.token_version !== version) return null;
  return { kind: 'admin', adminId: admin.id, email: admin.email, role: admin.role, siteIds: admin.site_ids };
}

/** Every admin, oldest first, for the super admin's console; keyset-paged on (createdAt, id). */
export async function listAdmins(
  em: EntityManager,
  args: { first?: number | null; after?: string | null },
): Promise<Page<AdminView> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = pageSize(args.first);
  return readOnPlatform(em, async (tx) => {
    const rows = await tx.find(Admin, afterCursor(cursor), { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    const items: AdminView[] = [];
    for (const admin of rows.slice(0, limit)) items.push(await adminView(tx, admin));
    const createdAt = new Map(rows.map((a) => [a.id, a.createdAt]));
    return { items, hasNextPage: rows.length > limit, cursorOf: (a: AdminView) => encodeCursor(createdAt.get(a.id)!, a.id) };
  });
}

export function getAdmin(em: EntityManager, adminId: string): Promise<AdminView | null> {
  return readOnPlatform(em, async (tx) => {
    const admin = await tx.findOne(Admin, { id: adminId });
    return admin ? adminView(tx, admin) : null;
  });
}

export async function adminLogin(
  em: EntityManager,
  deps: DomainDeps,
  input: { email: string; password: string; clientKey: string },
): Promise<Result<{ token: string; admin: AdminView }>> {
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const possible = possibleEmail(email);
  const entry = await enterLogin(deps.loginLimiter, { scope: 'admin', clientKey: input.clientKey, email: possible });
  // The log names the email by a short digest: the string is the caller's, of any length.
  if (entry.limited) {
    deps.log.warn({ emailHash: emailTag(email), client: input.clientKey.slice(0, 64) }, 'login rate limited');
    return refuse(ErrorCode.RATE_LIMITED, 'Too many login attempts; try again later');
  }
  if (entry.delayMs) await sleep(entry.delayMs);
  const admin = possible ? await readOnPlatform(em, (tx) => tx.findOne(Admin, { email: possible }, { populate: ['passwordHash'] })) : null;
  // The same work and the same answer for an unknown email, a wrong password and a disabled admin.
  const valid = await verifyPassword(input.password, admin?.passwordHash ?? (await decoyHash()));
  if (!admin || !valid || admin.disabled) {
    deps.log.info({ emailHash: emailTag(email) }, 'login refused');
    return refuse(ErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');
  }
  await entry.succeeded();
  return onPlatform(em, async (tx) => {
    audit(tx, { kind: 'admin', adminId: admin.id, email: admin.email, role: admin.role, siteIds: [] }, now, {
      siteId: null,
      action: 'admin.login',
      entity: 'Admin',
      entityId: admin.id,
    });
    const token = await deps.tokens.issue(admin.id, admin.tokenVersion, now);
    return ok({ token, admin: await adminView(tx, admin) });
  });
}

async function knownSites(tx: EntityManager, siteIds: string[]): Promise<Result<string[]>> {
  const unique = [...new Set(siteIds)];
  if (unique.some((id) => !isUuid(id))) return notFound('Site', ['siteIds']);
  const found = await tx.count(Site, { id: { $in: unique } });
  return found === unique.length ? ok(unique) : notFound('Site', ['siteIds']);
}

export function createSiteAdmin(
  em: EntityManager,
  deps: DomainDeps,
  actor: AdminActor,
  input: { email: string; password: string; siteIds: string[] },
): Promise<Result<AdminView>> {
  const v = new Validator();
  const email = v.email(['input', 'email'], input.email);
  checkPassword(v, ['input', 'password'], input.password);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return onPlatform(em, async (tx) => {
    if (await tx.count(Admin, { email })) return refuse(ErrorCode.CONFLICT, 'An admin with this email exists', ['input', 'email']);
    const sites = await knownSites(tx, input.siteIds);
    if (!sites.ok) return sites;
    const now = deps.clock.now();
    const admin = new Admin(email, await hashPassword(input.password), Role.SITE_ADMIN, now);
    tx.persist(admin);
    for (const siteId of sites.value) tx.persist(new AdminSite(admin.id, siteId));
    audit(tx, actor, now, {
      siteId: null,
      action: 'admin.create',
      entity: 'Admin',
      entityId: admin.id,
      detail: { email, siteIds: sites.value },
    });
    await tx.flush();
    return ok(await adminView(tx, admin));
  });
}

export function setAdminSites(em: EntityManager, deps: DomainDeps, actor: AdminActor, adminId: string, siteIds: string[]) {
  return onPlatform<AdminView>(em, async (tx) => {
    const admin = isUuid(adminId) ? await tx.findOne(Admin, { id: adminId }) : null;
    if (!admin) return notFound('Admin', ['adminId']);
    if (admin.role !== Role.SITE_ADMIN) return refuse(ErrorCode.VALIDATION, 'Only a SITE_ADMIN has site grants', ['adminId']);
    const sites = await knownSites(tx, siteIds);
    if (!sites.ok) return sites;
    await tx.nativeDelete(AdminSite, { adminId });
    for (const siteId of sites.value) tx.persist(new AdminSite(adminId, siteId));
    audit(tx, actor, deps.clock.now(), {
      siteId: null,
      action: 'admin.setSites',
      entity: 'Admin',
      entityId: adminId,
      detail: { siteIds: sites.value },
    });
    await tx.flush();
    return ok(await adminView(tx, admin));
  });
}

/** Locked, so that concurrent bumps of its token version each count. */
const lockedAdmin = (tx: EntityManager, adminId: string) =>
  isUuid(adminId) ? tx.findOne(Admin, { id: adminId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : Promise.resolve(null);

export function setAdminDisabled(em: EntityManager, deps: DomainDeps, actor: AdminActor, adminId: string, disabled: boolean) {
  return onPlatform<AdminView>(em, async (tx) => {
    const admin = await lockedAdmin(tx, adminId);
    if (!admin) return notFound('Admin', ['adminId']);
    if (admin.id === actor.adminId) return refuse(ErrorCode.VALIDATION, 'An admin cannot disable itself', ['adminId']);
    // Disabling ends its sessions and re-enabling does not revive them: their tokens carry the old version.
    if (admin.disabled !== disabled) admin.tokenVersion++;
    admin.disabled = disabled;
    audit(tx, actor, deps.clock.now(), {
      siteId: null,
      action: disabled ? 'admin.disable' : 'admin.enable',
      entity: 'Admin',
      entityId: adminId,
    });
    await tx.flush();
    return ok(await adminView(tx, admin));
  });
}

/** Ends every session of the calling admin: each token issued before it is refused from the next request on. */
export function adminLogoutAll(em: EntityManager, deps: DomainDeps, actor: AdminActor) {
  return onPlatform<AdminView>(em, async (tx) => {
    const admin = await lockedAdmin(tx, actor.adminId);
    if (!admin) return notFound('Admin');
    admin.tokenVersion++;
    audit(tx, actor, deps.clock.now(), { siteId: null, action: 'admin.logoutAll', entity: 'Admin', entityId: admin.id });
    await tx.flush();
    return ok(await adminView(tx, admin));
  });
}

/**
 * Creates the SUPER_ADMIN on first start. Returns the generated password when none was configured, to be
 * printed once; null when a super admin already exists.
 */
export async function bootstrapSuperAdmin(
  em: EntityManager,
  deps: DomainDeps,
  email: string,
  password: string | undefined,
): Promise<{ email: string; generatedPassword?: string } | null> {
  const result = await onPlatform(em, async (tx) => {
    // Serialises concurrent first starts of several processes.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('aegis.bootstrap'))`);
    if (await tx.count(Admin, { role: Role.SUPER_ADMIN })) return ok(null);
    const generated = password ? undefined : randomBytes(18).toString('base64url');
    const now = deps.clock.now();
    const admin = new Admin(email.trim().toLowerCase(), await hashPassword(password ?? generated!), Role.SUPER_ADMIN, now);
    tx.persist(admin);
    audit(tx, { kind: 'system', name: 'bootstrap' }, now, {
      siteId: null,
      action: 'admin.bootstrap',
      entity: 'Admin',
      entityId: admin.id,
      detail: { email: admin.email },
    });
    return ok({ email: admin.email, generatedPassword: generated });
  });
  return result.ok ? result.value : null;
}

/** Whether the admin with this email has ever signed in: a generated bootstrap password is shown until then. */
export function hasSignedIn(em: EntityManager, email: string): Promise<boolean> {
  return readOnPlatform(em, async (tx) => {
    const admin = await tx.findOne(Admin, { email: email.trim().toLowerCase() });
    return admin ? (await tx.count(PlatformAuditEntry, { action: 'admin.login', entityId: admin.id })) > 0 : false;
  });
}
