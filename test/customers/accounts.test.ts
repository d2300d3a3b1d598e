import { SignJWT, decodeJwt } from 'jose';
import {
  AddCustomerAddressDocument,
  CurrentCustomerDocument,
  CustomerLogoutDocument,
  MeDocument,
  OrdersDocument,
  RemoveCustomerAddressDocument,
  SetCustomerDisabledDocument,
  UpdateCustomerProfileDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { ADDRESS, addToCart, createCart, createProduct, createSite } from '../support/flows';
import { ownerSql } from '../support/sql';
import { auditOf, code, customerAccount, loginCustomer, newEmail, PASSWORD, signUp, WINDOW_MS } from './accounts-support';

/** Customer accounts through the public API: per site, alike for known and unknown emails, limited, revocable. */
const clock = new TestClock();
let t: TestAegis;
let siteA: string;
let siteB: string;

beforeAll(async () => {
  t = await startTestAegis({ clock });
  siteA = await createSite(t, 'Shop A');
  siteB = await createSite(t, 'Shop B');
});
afterAll(() => t.close());
// The limiter counts per client (every test is 127.0.0.1): every test starts in a fresh window.
beforeEach(() => clock.advance(WINDOW_MS + 1));

const current = (siteId: string, token: string) => t.op(CurrentCustomerDocument, { siteId }, { token });
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('test-jwt-secret-0123456789abcdef'));

describe('accounts per site', () => {
  it('keeps the same email on two sites as two accounts, each token refused on the other site', async () => {
    const email = newEmail('two-sites');
    const a = await customerAccount(t, siteA, email);
    const b = await customerAccount(t, siteB, email);
    expect(a.customerId).not.toBe(b.customerId);
    expect((await current(siteA, a.token)).data?.customer).toMatchObject({ id: a.customerId, siteId: siteA, email });
    expect((await current(siteB, b.token)).data?.customer).toMatchObject({ id: b.customerId, siteId: siteB, email });
    const crossed = await current(siteB, a.token);
    expect({ code: code(crossed), customer: crossed.data?.customer ?? null }).toEqual({ code: 'FORBIDDEN', customer: null });
    // A password of site A does not open the account of site B.
    await signUp(t, siteB, newEmail());
    expect((await loginCustomer(t, siteB, email, 'another-password-22')).data?.customerLogin.token).toBeNull();
  });

  it('lower-cases and validates the email, and bounds the password as for admins', async () => {
    const email = newEmail('Mixed').toUpperCase();
    expect((await signUp(t, siteA, email)).data?.customerSignUp).toEqual({ accepted: true, userErrors: [] });
    const login = await loginCustomer(t, siteA, email);
    expect(login.data?.customerLogin.customer?.email).toBe(email.toLowerCase());
    const bad = await signUp(t, siteA, 'not-an-email', 'short');
    expect(bad.data?.customerSignUp.accepted).toBe(false);
    expect(bad.data?.customerSignUp.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['VALIDATION', ['input', 'email']],
      ['VALIDATION', ['input', 'password']],
    ]);
    expect((await signUp(t, siteA, newEmail(), 'x'.repeat(201))).data?.customerSignUp.userErrors[0]?.field).toEqual(['input', 'password']);
  });
});

describe('sign-up and login answer alike for known and unknown emails', () => {
  it('sign-up: the same payload, no token, a mail to the address either way, and the account left as it was', async () => {
    const email = newEmail('known');
    const first = await signUp(t, siteA, email);
    const again = await signUp(t, siteA, email, 'a-different-password');
    const fresh = await signUp(t, siteA, newEmail('unknown'));
    expect(again.data).toEqual(first.data);
    expect(fresh.data).toEqual(first.data);
    expect(first.data).toEqual({ customerSignUp: { accepted: true, userErrors: [] } });
    expect(t.aegis.outbox!.to(email).map((m) => m.kind)).toEqual(['customer.welcome', 'customer.signUpExisting']);
    expect(t.aegis.outbox!.to(email)[1].subject).toMatch(/Someone tried to sign up/);
    // The second sign-up changed nothing: the first password still signs in, the second does not.
    expect((await loginCustomer(t, siteA, email)).data?.customerLogin.token).toEqual(expect.any(String));
    expect((await loginCustomer(t, siteA, email, 'a-different-password')).data?.customerLogin.token).toBeNull();
    const rows = await ownerSql(t.dbUrl, `select count(*)::int as n from customers where site_id = $1 and email = $2`, [siteA, email]);
    expect(rows[0].n).toBe(1);
  });

  it('login: INVALID_CREDENTIALS alike for an unknown email, a wrong password and a disabled account; each audited', async () => {
    const known = await customerAccount(t, siteA, newEmail('known'));
    const disabled = await customerAccount(t, siteA, newEmail('disabled'));
    await t.op(
      SetCustomerDisabledDocument,
      { siteId: siteA, customerId: disabled.customerId, disabled: true },
      { token: await t.superToken() },
    );
    const answers = [
      await loginCustomer(t, siteA, newEmail('nobody')),
      await loginCustomer(t, siteA, known.email, 'wrong-password-123'),
      await loginCustomer(t, siteA, disabled.email),
    ];
    for (const r of answers) expect(r.data).toEqual(answers[0].data);
    expect(answers[0].data?.customerLogin).toEqual({
      token: null,
      customer: null,
      cart: null,
      userErrors: [{ code: 'INVALID_CREDENTIALS', message: 'Invalid email or password', field: null }],
    });
    const failures = (await auditOf(t, siteA)).filter((e) => e.action === 'customer.loginFailed').slice(-3);
    expect(failures.map((e) => [e.actor, e.entityId, JSON.parse(e.detail!).reason])).toEqual([
      ['system:storefront', 'unknown', 'unknown email'],
      ['system:storefront', known.customerId, 'wrong password'],
      ['system:storefront', disabled.customerId, 'disabled'],
    ]);
  });

  it('audits sign-ups: a new account by the customer, a known address by the storefront', async () => {
    const email = newEmail('audited');
    await signUp(t, siteA, email);
    await signUp(t, siteA, email);
    const { customerId } = await customerAccount(t, siteA, newEmail());
    const owner = (await ownerSql(t.dbUrl, `select id from customers where site_id = $1 and email = $2`, [siteA, email]))[0].id;
    const entries = (await auditOf(t, siteA)).filter((e) => e.entityId === owner);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['customer.signUp', `customer:${owner}`],
      ['customer.signUpExisting', 'system:storefront'],
    ]);
    expect((await auditOf(t, siteA)).some((e) => e.action === 'customer.login' && e.entityId === customerId)).toBe(true);
  });
});

describe('rate limits, counted in PostgreSQL', () => {
  it('refuses the 11th failed login of a client (RATE_LIMITED), per site, in rows of the shared limiter', async () => {
    const site = await createSite(t, 'Limited login');
    const { email } = await customerAccount(t, site, newEmail());
    for (let i = 0; i < 10; i++)
      expect((await loginCustomer(t, site, newEmail(`guess${i}`), 'wrong-password-123')).data?.customerLogin.userErrors[0]?.code).toBe(
        'INVALID_CREDENTIALS',
      );
    const limited = await loginCustomer(t, site, email);
    expect(limited.data?.customerLogin).toMatchObject({ token: null, userErrors: [{ code: 'RATE_LIMITED' }] });
    const keys = await ownerSql<{ n: number }>(t.dbUrl, `select count(*)::int as n from rate_limits.attempts where key like $1`, [
      `site:${site}:client:%`,
    ]);
    expect(keys[0].n).toBe(1);
    // Another site's customers are counted apart.
    const other = await customerAccount(t, siteB, newEmail());
    expect(other.token).toEqual(expect.any(String));
    clock.advance(WINDOW_MS + 1);
    expect((await loginCustomer(t, site, email)).data?.customerLogin.token).toEqual(expect.any(String));
  });

  it('refuses the 11th sign-up of a client in a window, whatever the emails', async () => {
    const site = await createSite(t, 'Limited sign-up');
    for (let i = 0; i < 10; i++) expect((await signUp(t, site, newEmail(`bulk${i}`))).data?.customerSignUp.accepted).toBe(true);
    const limited = await signUp(t, site, newEmail('one-more'));
    expect(limited.data?.customerSignUp).toMatchObject({ accepted: false, userErrors: [{ code: 'RATE_LIMITED' }] });
    const keys = await ownerSql<{ n: number }>(t.dbUrl, `select count(*)::int as n from rate_limits.attempts where key like $1`, [
      `site:${site}:signup:client:%`,
    ]);
    expect(keys[0].n).toBe(1);
    // Sign-ups have their own scope: this client may still log in.
    const rows = await ownerSql(t.dbUrl, `select email from customers where site_id = $1 limit 1`, [site]);
    expect((await loginCustomer(t, site, rows[0].email)).data?.customerLogin.token).toEqual(expect.any(String));
  });
});

describe('token audiences', () => {
  it('refuses an admin token on customer operations and a customer token on admin operations (FORBIDDEN)', async () => {
    const customer = await customerAccount(t, siteA);
    const admin = await t.superToken();
    const asAdmin = await current(siteA, admin);
    expect({ code: code(asAdmin), customer: asAdmin.data?.customer ?? null }).toEqual({ code: 'FORBIDDEN', customer: null });
    const me = await t.op(MeDocument, {}, { token: customer.token });
    expect({ code: code(me), me: me.data?.me ?? null }).toEqual({ code: 'FORBIDDEN', me: null });
    expect(code(await t.op(OrdersDocument, { siteId: siteA }, { token: customer.token }))).toBe('FORBIDDEN');
    expect(code(await t.op(CustomerLogoutDocument, { siteId: siteA }, { token: admin }))).toBe('FORBIDDEN');
  });

  it('carries aegis:customer with the site, and aegis:admin for admins; a token of the wrong or no audience is refused', async () => {
    const customer = await customerAccount(t, siteA);
    const claims = decodeJwt(customer.token);
    expect(claims).toMatchObject({ aud: 'aegis:customer', sub: customer.customerId, site: siteA, ver: 0 });
    expect(decodeJwt(await t.superToken()).aud).toBe('aegis:admin');
    const admin = decodeJwt(await t.superToken());
    const { aud: _a, ...noAudience } = admin;
    // An admin token issued before audiences existed: its admins sign in again.
    expect(code(await t.op(MeDocument, {}, { token: await sign(noAudience) }))).toBe('UNAUTHENTICATED');
    // The customer's claims relabelled as an admin's, and the reverse: neither names anyone.
    expect(code(await t.op(MeDocument, {}, { token: await sign({ ...claims, aud: 'aegis:admin' }) }))).toBe('UNAUTHENTICATED');
    expect(code(await current(siteA, await sign({ ...admin, aud: 'aegis:customer', site: siteA })))).toBe('UNAUTHENTICATED');
    expect(code(await current(siteA, await sign({ ...claims, aud: ['aegis:customer', 'aegis:admin'] })))).toBe('UNAUTHENTICATED');
    const { site: _s, ...noSite } = claims;
    expect(code(await current(siteA, await sign(noSite)))).toBe('UNAUTHENTICATED');
    // The customer's own claims, re-signed, still hold: only the audience made the others fail.
    expect(code(await current(siteA, await sign(claims)))).toBeNull();
  });

  it('refuses a customer token naming another site than its customer (UNAUTHENTICATED)', async () => {
    const customer = await customerAccount(t, siteA);
    const claims = decodeJwt(customer.token);
    expect(code(await current(siteB, await sign({ ...claims, site: siteB })))).toBe('UNAUTHENTICATED');
  });
});

describe('sessions', () => {
  it('logout refuses every token of the customer at once, and a new login works', async () => {
    const { email, token } = await customerAccount(t, siteA);
    const second = (await loginCustomer(t, siteA, email)).data!.customerLogin.token!;
    expect(code(await current(siteA, second))).toBeNull();
    const out = await t.op(CustomerLogoutDocument, { siteId: siteA }, { token });
    expect(out.data?.customerLogout.userErrors).toEqual([]);
    for (const old of [token, second]) expect(code(await current(siteA, old))).toBe('UNAUTHENTICATED');
    const again = (await loginCustomer(t, siteA, email)).data!.customerLogin.token!;
    expect((await current(siteA, again)).data?.customer?.email).toBe(email);
    expect((await auditOf(t, siteA)).some((e) => e.action === 'customer.logout')).toBe(true);
  });

  it('tokens expire with the TTL', async () => {
    const { token } = await customerAccount(t, siteA);
    clock.advance(8 * 3600 * 1000 + 60_000);
    expect(code(await current(siteA, token))).toBe('UNAUTHENTICATED');
  });

  it("login with a guest's X-Cart-Token hands back the customer's cart", async () => {
    const productId = await createProduct(t, siteA, `SKU-${newEmail()}`, 700);
    const guest = await createCart(t, siteA);
    await addToCart(t, guest.cartToken, siteA, productId, 2);
    const { email } = await customerAccount(t, siteA);
    const r = await loginCustomer(t, siteA, email, PASSWORD, { cartToken: guest.cartToken });
    expect(r.data?.customerLogin.token).toEqual(expect.any(String));
    expect(r.data?.customerLogin.cart?.lines.map((l) => [l.product.id, l.quantity])).toEqual([[productId, 2]]);
  });
});

describe('profile', () => {
  it('reads and updates the name and saved addresses; never a password hash', async () => {
    const { token, customerId } = await customerAccount(t, siteA);
    const renamed = await t.op(UpdateCustomerProfileDocument, { siteId: siteA, input: { name: '  Ada  ' } }, { token });
    expect(renamed.data?.updateCustomerProfile.customer).toMatchObject({ id: customerId, name: 'Ada', addresses: [] });
    const added = await t.op(AddCustomerAddressDocument, { siteId: siteA, input: { ...ADDRESS, country: 'gb' } }, { token });
    const address = added.data!.addCustomerAddress.address!;
    expect(address).toMatchObject({ ...ADDRESS, line2: null, country: 'GB' });
    expect((await current(siteA, token)).data?.customer?.addresses.map((a) => a.id)).toEqual([address.id]);
    const removed = await t.op(RemoveCustomerAddressDocument, { siteId: siteA, addressId: address.id }, { token });
    expect(removed.data?.removeCustomerAddress.customer?.addresses).toEqual([]);
    const again = await t.op(RemoveCustomerAddressDocument, { siteId: siteA, addressId: address.id }, { token });
    expect(again.data?.removeCustomerAddress.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    const type = await t.gql(`{ __type(name: "Customer") { fields { name } } }`);
    const fields = type.data.__type.fields.map((f: { name: string }) => f.name);
    expect(fields.filter((f: string) => /hash|password|token|version/i.test(f))).toEqual([]);
  });

  it('validates addresses as checkout does and keeps at most 20', async () => {
    const { token } = await customerAccount(t, siteA);
    const bad = await t.op(AddCustomerAddressDocument, { siteId: siteA, input: { ...ADDRESS, country: 'XX', city: ' ' } }, { token });
    expect(bad.data?.addCustomerAddress.userErrors.map((e) => e.field)).toEqual([
      ['input', 'city'],
      ['input', 'country'],
    ]);
    for (let i = 0; i < 20; i++)
      expect(
        (await t.op(AddCustomerAddressDocument, { siteId: siteA, input: { ...ADDRESS, name: `N${i}` } }, { token })).data
          ?.addCustomerAddress.userErrors,
      ).toEqual([]);
    const over = await t.op(AddCustomerAddressDocument, { siteId: siteA, input: ADDRESS }, { token });
    expect(over.data?.addCustomerAddress).toMatchObject({ address: null, userErrors: [{ code: 'VALIDATION' }] });
    expect((await current(siteA, token)).data?.customer?.addresses).toHaveLength(20);
  });

  it("cannot remove another customer's address", async () => {
    const owner = await customerAccount(t, siteA);
    const other = await customerAccount(t, siteA);
    const added = await t.op(AddCustomerAddressDocument, { siteId: siteA, input: ADDRESS }, { token: owner.token });
    const id = added.data!.addCustomerAddress.address!.id;
    const r = await t.op(RemoveCustomerAddressDocument, { siteId: siteA, addressId: id }, { token: other.token });
    expect(r.data?.removeCustomerAddress.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect((await current(siteA, owner.token)).data?.customer?.addresses.map((a) => a.id)).toEqual([id]);
  });
});
