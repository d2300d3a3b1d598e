import { decodeJwt, SignJWT, type JWTPayload } from 'jose';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminLoginDocument,
  AdminLogoutAllDocument,
  CheckoutDocument,
  CreateCartDocument,
  MeDocument,
  OrdersDocument,
  SetAdminDisabledDocument,
  SetAdminSitesDocument,
} from '../../clients/generated/graphql';
import { loadConfig } from '../../src/config';
import { startTestAegis, SUPER_ADMIN, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createSite } from '../support/flows';
import { ownerSql } from '../support/sql';
import { ADMIN_PASSWORD, createSiteAdmin, login } from '../support/two-sites';

/** Identity hardening: tokens, login answers and rate limit, and grants read from the database on every request. */
const clock = new TestClock();
const WINDOW_MS = 15 * 60 * 1000;
let t: TestAegis;

beforeAll(async () => {
  t = await startTestAegis({ clock });
});
afterAll(() => t.close());
// The login limiter counts per client: every test starts in a fresh window.
beforeEach(() => clock.advance(WINDOW_MS + 1));

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code ?? null;
const me = (token: string) => t.op(MeDocument, {}, { token });
const orders = (siteId: string, token: string) => t.op(OrdersDocument, { siteId }, { token });
const loginAs = (email: string, password: string) => t.op(AdminLoginDocument, { email, password });

describe('admin tokens', () => {
  it('are accepted as issued', async () => {
    const r = await me(await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password));
    expect(r.data!.me).toMatchObject({ email: SUPER_ADMIN.email, role: 'SUPER_ADMIN' });
  });

  it('are refused (UNAUTHENTICATED) when tampered: payload, signature, another key, alg none, garbage', async () => {
    const token = await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '0190c0de-0000-7000-8000-000000000001' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    const otherKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-of-enough-length!'));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const bad of [`${header}.${forged}.${signature}`, `${header}.${payload}.${flipped}`, otherKey, none, 'not-a-token', `${token}x`]) {
      const r = await me(bad);
      expect({ bad, code: code(r), me: r.data?.me ?? null }).toEqual({ bad, code: 'UNAUTHENTICATED', me: null });
    }
  });

  it('are refused once expired (TOKEN_TTL_SECONDS, 8 h by default)', async () => {
    const token = await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password);
    clock.advance(8 * 3600 * 1000 - 60_000);
    expect(code(await me(token))).toBeNull();
    clock.advance(120_000);
    expect(code(await me(token))).toBe('UNAUTHENTICATED');
  });

  it('are refused without exp or iat, with a lifetime over the TTL (exp 100 years ahead), or issued in the future', async () => {
    const claims = decodeJwt(await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password));
    const now = Math.floor(clock.now().getTime() / 1000);
    // Signed with the server's own key (test/support/aegis.ts): only the claims make these tokens bad.
    const sign = (c: JWTPayload) =>
      new SignJWT(c).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('test-jwt-secret-0123456789abcdef'));
    const { exp: _exp, ...noExp } = claims;
    const { iat: _iat, ...noIat } = claims;
    expect(code(await me(await sign({ ...claims, iat: now, exp: now + 3600 })))).toBeNull();
    expect(code(await me(await sign({ ...claims, iat: now + 30, exp: now + 3600 })))).toBeNull();
    const bad: [string, JWTPayload][] = [
      ['no exp', noExp],
      ['no iat', noIat],
      ['exp 100 years ahead', { ...claims, iat: now, exp: now + 100 * 365 * 24 * 3600 }],
      ['lifetime one second over the TTL', { ...claims, iat: now, exp: now + 8 * 3600 + 1 }],
      ['iat an hour ahead', { ...claims, iat: now + 3600, exp: now + 7200 }],
      ['iat 61 s ahead (past the clock skew allowed)', { ...claims, iat: now + 61, exp: now + 3600 }],
      ['no token version', { ...claims, ver: undefined, iat: now, exp: now + 3600 }],
    ];
    for (const [why, c] of bad) {
      const r = await me(await sign(c));
      expect({ why, code: code(r), me: r.data?.me ?? null }).toEqual({ why, code: 'UNAUTHENTICATED', me: null });
    }
  });

  it("adminLogoutAll revokes every earlier token of the caller (audited), not another admin's; a new login works", async () => {
    const siteId = await createSite(t, 'Logout');
    await createSiteAdmin(t, 'logout@aegis.test', [siteId]);
    const [first, second] = [await login(t, 'logout@aegis.test'), await login(t, 'logout@aegis.test')];
    const other = await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password);
    const r = await t.op(AdminLogoutAllDocument, {}, { token: second });
    expect(r.data!.adminLogoutAll).toEqual({ admin: expect.objectContaining({ email: 'logout@aegis.test' }), userErrors: [] });
    for (const token of [first, second]) expect(code(await me(token))).toBe('UNAUTHENTICATED');
    expect(code(await me(other))).toBeNull();
    expect((await me(await login(t, 'logout@aegis.test'))).data!.me!.email).toBe('logout@aegis.test');
    expect(await ownerSql(t.dbUrl, `select actor from platform_audit_log where action = 'admin.logoutAll'`)).toEqual([
      { actor: 'admin:logout@aegis.test' },
    ]);
  });

  it('never fall back to a visitor: a bad token with a cart token is refused on a storefront operation', async () => {
    const cart = await t.op(CreateCartDocument, { siteId: await createSite(t, 'Fallback') });
    const r = await t.op(
      CheckoutDocument,
      { siteId: '0190c0de-0000-7000-8000-000000000000' },
      { token: 'garbage', cartToken: cart.data!.createCart.cartToken! },
    );
    expect(code(r)).toBe('UNAUTHENTICATED');
  });
});

describe('login', () => {
  it('answers INVALID_CREDENTIALS identically for an unknown email and a wrong password', async () => {
    const unknown = await loginAs('nobody@aegis.test', 'whatever-password');
    const wrong = await loginAs(SUPER_ADMIN.email, 'whatever-password');
    expect(unknown.data!.adminLogin.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect(wrong).toEqual(unknown);
  });

  it('answers RATE_LIMITED when hammered, even with the right password, until the window passes', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 7; i++) answers.push((await loginAs(SUPER_ADMIN.email, `wrong-${i}`)).data!.adminLogin.userErrors[0].code);
    // Five failures per client and email (test/authority/login-limits.test.ts has the other limits).
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(answers.slice(5)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const right = await loginAs(SUPER_ADMIN.email, SUPER_ADMIN.password);
    expect(right.data!.adminLogin).toMatchObject({ token: null, userErrors: [{ code: 'RATE_LIMITED' }] });
    clock.advance(WINDOW_MS + 1);
    expect((await loginAs(SUPER_ADMIN.email, SUPER_ADMIN.password)).data!.adminLogin.token).toEqual(expect.any(String));
  });

  it('answers INVALID_CREDENTIALS for a disabled admin, like a wrong password', async () => {
    const siteId = await createSite(t, 'Disabled');
    const email = 'disabled-login@aegis.test';
    const adminId = await createSiteAdmin(t, email, [siteId]);
    await t.op(SetAdminDisabledDocument, { adminId, disabled: true }, { token: await t.superToken() });
    const r = await loginAs(email, ADMIN_PASSWORD);
    expect(r.data!.adminLogin).toEqual({
      token: null,
      admin: null,
      userErrors: [{ code: 'INVALID_CREDENTIALS', message: 'Invalid email or password', field: null }],
    });
  });
});

describe('grants and the disabled flag are read from the database on every request', () => {
  it('setAdminSites takes effect on the very next request with the same token', async () => {
    const [s1, s2] = [await createSite(t, 'One'), await createSite(t, 'Two')];
    const adminId = await createSiteAdmin(t, 'grants@aegis.test', [s1]);
    const token = await login(t, 'grants@aegis.test');
    const superToken = await t.superToken();
    expect(code(await orders(s1, token))).toBeNull();
    expect(code(await orders(s2, token))).toBe('FORBIDDEN');

    await t.op(SetAdminSitesDocument, { adminId, siteIds: [s2] }, { token: superToken });
    expect(code(await orders(s1, token))).toBe('FORBIDDEN');
    expect(code(await orders(s2, token))).toBeNull();
    expect((await me(token)).data!.me!.siteIds).toEqual([s2]);
  });

  it('setAdminDisabled takes effect on the very next request, and re-enabling does not revive the old token', async () => {
    const siteId = await createSite(t, 'Three');
    const adminId = await createSiteAdmin(t, 'disable@aegis.test', [siteId]);
    const token = await login(t, 'disable@aegis.test');
    const superToken = await t.superToken();
    const set = (disabled: boolean) => t.op(SetAdminDisabledDocument, { adminId, disabled }, { token: superToken });
    expect(code(await orders(siteId, token))).toBeNull();
    expect((await set(true)).data!.setAdminDisabled.admin!.disabled).toBe(true);
    expect(code(await orders(siteId, token))).toBe('UNAUTHENTICATED');
    expect(code(await me(token))).toBe('UNAUTHENTICATED');
    await set(false);
    expect(code(await orders(siteId, token))).toBe('UNAUTHENTICATED');
    expect(code(await orders(siteId, await login(t, 'disable@aegis.test')))).toBeNull();
  });
});

describe('the token key', () => {
  it('is generated once and kept under DATA_DIR outside production, and required in production', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aegis-key-'));
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).JWT_SECRET).toBe(first);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, JWT_SECRET: 'from-env' }).jwtSecret).toBe('from-env');
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        DATABASE_URL: 'postgres://x',
        STRIPE_SECRET_KEY: 'sk',
        STRIPE_WEBHOOK_SECRET: 'wh',
      }),
    ).toThrow(/JWT_SECRET/);
  });
});
