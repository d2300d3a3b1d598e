import fc from 'fast-check';
import {
  CreateContentItemDocument,
  CreateProductDocument,
  CreateSiteDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, SUPER_ADMIN, type GqlResult, type Headers, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { openDbState, type DbState } from '../support/db-state';
import { addToCart, createCart, createProduct, createSite, signedInCustomer } from '../support/flows';
import { NAUGHTY_STRINGS } from '../support/naughty-strings';
import { createSiteAdmin, login } from '../support/two-sites';

/**
 * Bad input, fed to every mutation: never a 5xx or an INTERNAL_SERVER_ERROR, a refusal writes nothing at all, and
 * VALIDATION errors name their field and follow CONTRACT's input bounds.
 */
const RUNS = { numRuns: 50 };
const clock = new TestClock();
let t: TestAegis;
let db: DbState;
let superToken: string;
let siteId: string;
let productId: string;
let adminId: string;

beforeAll(async () => {
  t = await startTestAegis({ clock });
  db = await openDbState(t.dbUrl);
  siteId = await createSite(t, 'Naughty');
  productId = await createProduct(t, siteId, 'N-1', 999);
  adminId = await createSiteAdmin(t, 'naughty-admin@aegis.test', [siteId]);
});
// A fresh token and login window per property: the adminLogin property moves the clock by hours.
beforeEach(async () => {
  clock.advance(16 * 60 * 1000);
  superToken = await login(t, SUPER_ADMIN.email, SUPER_ADMIN.password);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const INT_MAX = 2 ** 31 - 1;
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const naughty = fc.constantFrom(...NAUGHTY_STRINGS);
const text = fc.oneof(
  naughty,
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 250 }),
);
const id = (...known: (() => string)[]) => fc.oneof(text, fc.uuid(), ...known.map((k) => fc.constant(null).map(() => k())));
const int = fc.oneof(
  fc.integer({ min: -INT_MAX - 1, max: INT_MAX }),
  fc.constantFrom(-1, 0, 1, 999, 1000, 1001, 100_000_000, 100_000_001, INT_MAX),
  fc.integer({ min: -5, max: 1005 }),
);

/** An address of any strings, and countries near and far from ISO 3166-1 alpha-2. */
const address = fc.record({
  name: text,
  line1: text,
  line2: fc.option(text),
  city: text,
  postalCode: text,
  country: fc.oneof(text, fc.constantFrom('GB', 'de', ' fr ', 'XX', 'UK')),
});

const LONE_SURROGATE = /\p{Cs}/u;
/** CONTRACT's bounded string: trimmed, 1..max characters, no control characters, no lone surrogate. */
const inBounds = (s: string, max: number) => {
  const v = s.trim();
  return v.length > 0 && v.length <= max && !CONTROL.test(v) && !LONE_SURROGATE.test(v);
};

interface Outcome {
  r: GqlResult;
  payload: any;
  errors: { code: string; field?: string[] | null }[];
}

/** Sends one mutation and checks what holds for every input: no 5xx, no internal error, no partial write. */
async function attempt(
  doc: string,
  variables: Record<string, unknown>,
  field: string,
  headers: Headers = {},
  /** A refusal the issue wants audited (a customer's failed login): the audit log may gain its entry, nothing else. */
  audited = false,
): Promise<Outcome> {
  const but = (snapshot: Record<string, string>) => (audited ? { ...snapshot, audit_log: 'audited' } : snapshot);
  const before = but(await db.snapshot());
  const r = await t.gql(doc, variables, headers);
  expect(r.status).toBeLessThan(500);
  expect(r.errors?.filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR') ?? []).toEqual([]);
  const payload = r.data?.[field];
  const errors = payload?.userErrors ?? [];
  for (const e of errors) if (e.code === 'VALIDATION') expect(e.field?.length).toBeGreaterThan(0);
  if (r.errors?.length || errors.length) expect(but(await db.snapshot())).toEqual(before);
  return { r, payload, errors };
}
const validation = (o: Outcome) => o.errors.some((e) => e.code === 'VALIDATION');
const UE = 'userErrors { code message field }';
const asSuper = () => ({ token: superToken });
const newCart = async () => (await createCart(t, siteId)).cartToken;

describe('every mutation survives bad input (fast-check, 50 runs each, plus the naughty strings)', () => {
  it('createSite: name bounded at 200, currency ISO 4217', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.oneof(text, fc.constantFrom('EUR', 'usd', ' gbp ', 'XXX', 'EU', 'EURO')), async (name, currency) => {
        const o = await attempt(
          `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ name currency } ${UE} } }`,
          { i: { name, currency } },
          'createSite',
          asSuper(),
        );
        if (!inBounds(name, 200)) expect(validation(o)).toBe(true);
        if (o.payload?.site) {
          expect(o.payload.site.name).toBe(name.trim());
          expect(o.payload.site.currency).toMatch(/^[A-Z]{3}$/);
        }
      }),
      RUNS,
    );
  });

  it('createProduct: name 200, sku bounded, price 0..100,000,000', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, int, async (sku, name, priceMinor) => {
        const o = await attempt(
          `mutation($s:ID!,$i:CreateProductInput!){ createProduct(siteId:$s,input:$i){ product{ name priceMinor } ${UE} } }`,
          { s: siteId, i: { sku, name, priceMinor } },
          'createProduct',
          asSuper(),
        );
        const priceOk = priceMinor >= 0 && priceMinor <= 100_000_000;
        if (!priceOk || !inBounds(name, 200)) expect(validation(o)).toBe(true);
        if (o.payload?.product) expect(o.payload.product).toEqual({ name: name.trim(), priceMinor });
      }),
      RUNS,
    );
  });

  it('updateProduct: name 200, price 0..100,000,000, any product id, either field omitted', async () => {
    // A product of its own: the other properties count on the shared one's price.
    const editable = await createProduct(t, siteId, 'N-EDIT', 999);
    await fc.assert(
      fc.asyncProperty(
        fc.option(text),
        fc.option(int),
        id(() => editable),
        async (name, priceMinor, p) => {
          const o = await attempt(
            `mutation($s:ID!,$p:ID!,$i:UpdateProductInput!){ updateProduct(siteId:$s,productId:$p,input:$i){ product{ name priceMinor } ${UE} } }`,
            { s: siteId, p, i: { name, priceMinor } },
            'updateProduct',
            asSuper(),
          );
          const priceBad = priceMinor !== null && (priceMinor < 0 || priceMinor > 100_000_000);
          if (priceBad || (name !== null && !inBounds(name, 200)) || (name === null && priceMinor === null))
            expect(validation(o)).toBe(true);
          if (o.payload?.product) {
            if (name !== null) expect(o.payload.product.name).toBe(name.trim());
            if (priceMinor !== null) expect(o.payload.product.priceMinor).toBe(priceMinor);
          }
        },
      ),
      RUNS,
    );
  });

  it('createSiteAdmin, setAdminSites, setAdminDisabled, setAiEnabled: any ids and strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.array(
          id(() => siteId),
          { maxLength: 4 },
        ),
        id(() => adminId),
        fc.boolean(),
        id(() => siteId),
        async (email, password, siteIds, who, flag, site) => {
          await attempt(
            `mutation($i:CreateSiteAdminInput!){ createSiteAdmin(input:$i){ admin{ id } ${UE} } }`,
            { i: { email, password, siteIds } },
            'createSiteAdmin',
            asSuper(),
          );
          await attempt(
            `mutation($a:ID!,$s:[ID!]!){ setAdminSites(adminId:$a,siteIds:$s){ admin{ id } ${UE} } }`,
            { a: who, s: siteIds },
            'setAdminSites',
            asSuper(),
          );
          await attempt(
            `mutation($a:ID!,$d:Boolean!){ setAdminDisabled(adminId:$a,disabled:$d){ admin{ id } ${UE} } }`,
            { a: who, d: flag },
            'setAdminDisabled',
            asSuper(),
          );
          await attempt(
            `mutation($s:ID!,$e:Boolean!){ setAiEnabled(siteId:$s,enabled:$e){ site{ id } ${UE} } }`,
            { s: site, e: false },
            'setAiEnabled',
            asSuper(),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('adminLogin: any email and password answer INVALID_CREDENTIALS (one login window each)', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (email, password) => {
        clock.advance(16 * 60 * 1000);
        const o = await attempt(
          `mutation($e:String!,$p:String!){ adminLogin(email:$e,password:$p){ token ${UE} } }`,
          { e: email, p: password },
          'adminLogin',
        );
        expect(o.errors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
      }),
      RUNS,
    );
  });

  it('createCart, checkout, retryPayment: any site and order ids', async () => {
    const cartToken = await newCart();
    await fc.assert(
      fc.asyncProperty(
        id(() => siteId),
        id(),
        async (site, orderId) => {
          await attempt(`mutation($s:ID!){ createCart(siteId:$s){ cartToken ${UE} } }`, { s: site }, 'createCart');
          await attempt(`mutation($s:ID!){ checkout(siteId:$s){ order{ id } ${UE} } }`, { s: site }, 'checkout', { cartToken });
          await attempt(
            `mutation($s:ID!,$o:ID!){ retryPayment(siteId:$s,orderId:$o){ order{ id } ${UE} } }`,
            { s: site, o: orderId },
            'retryPayment',
            { cartToken },
          );
        },
      ),
      RUNS,
    );
  });

  it('addToCart: quantity 1..1000, any product id', async () => {
    await fc.assert(
      fc.asyncProperty(
        id(() => productId),
        int,
        async (product, quantity) => {
          const o = await attempt(
            `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ totalMinor } ${UE} } }`,
            { s: siteId, p: product, q: quantity },
            'addToCart',
            { cartToken: await newCart() },
          );
          if (quantity < 1 || quantity > 1000) expect(o.errors.map((e) => e.code)).toEqual(['VALIDATION']);
          else if (product === productId) expect(o.payload.order.totalMinor).toBe(999 * quantity);
        },
      ),
      RUNS,
    );
  });

  it('updateCartLine: quantity 0..1000, any line id', async () => {
    const cartToken = await newCart();
    const line = (await addToCart(t, cartToken, siteId, productId, 1)).data!.addToCart.order!.lines[0].id;
    await fc.assert(
      fc.asyncProperty(
        id(() => line),
        int,
        async (lineId, quantity) => {
          const o = await attempt(
            `mutation($s:ID!,$l:ID!,$q:Int!){ updateCartLine(siteId:$s,lineId:$l,quantity:$q){ order{ id } ${UE} } }`,
            // 0 would remove the line the next runs aim at; removal is covered by test/api.
            { s: siteId, l: lineId, q: quantity === 0 ? 1 : quantity },
            'updateCartLine',
            { cartToken },
          );
          if (quantity < 0 || quantity > 1000) expect(o.errors.map((e) => e.code)).toEqual(['VALIDATION']);
        },
      ),
      RUNS,
    );
  });

  it('setCheckoutDetails: email, country ISO 3166-1 alpha-2, address lines bounded', async () => {
    const cartToken = await newCart();
    await fc.assert(
      fc.asyncProperty(text, address, address, async (email, shippingAddress, billingAddress) => {
        const o = await attempt(
          `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ email shippingAddress{ name country } } ${UE} } }`,
          { s: siteId, i: { email, shippingAddress, billingAddress } },
          'setCheckoutDetails',
          { cartToken },
        );
        if (!inBounds(shippingAddress.name, 200) || !inBounds(billingAddress.city, 200)) expect(validation(o)).toBe(true);
        if (o.payload?.order) {
          expect(o.payload.order.shippingAddress.name).toBe(shippingAddress.name.trim());
          expect(o.payload.order.shippingAddress.country).toMatch(/^[A-Z]{2}$/);
          expect(o.payload.order.email).toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
        }
      }),
      RUNS,
    );
  });

  it('customerSignUp, customerLogin, requestPasswordReset, resetPassword: any email, password, name and code', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, fc.option(text), text, async (email, password, name, code) => {
        // A fresh limiter window per run: these are counted per client.
        clock.advance(16 * 60 * 1000);
        const signUp = await attempt(
          `mutation($s:ID!,$i:CustomerSignUpInput!){ customerSignUp(siteId:$s,input:$i){ accepted ${UE} } }`,
          { s: siteId, i: { email, password, name } },
          'customerSignUp',
        );
        // Accepted alike whether or not the email has an account; refused only for input out of bounds.
        expect(signUp.payload.accepted || validation(signUp)).toBe(true);
        const login = await attempt(
          `mutation($s:ID!,$e:String!,$p:String!){ customerLogin(siteId:$s,email:$e,password:$p){ token ${UE} } }`,
          { s: siteId, e: email, p: `${password}-not-it` },
          'customerLogin',
          {},
          true,
        );
        expect(login.errors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
        const reset = await attempt(
          `mutation($s:ID!,$e:String!){ requestPasswordReset(siteId:$s,email:$e){ accepted ${UE} } }`,
          { s: siteId, e: email },
          'requestPasswordReset',
        );
        expect(reset.payload.accepted || validation(reset)).toBe(true);
        const spend = await attempt(
          `mutation($s:ID!,$c:String!,$p:String!){ resetPassword(siteId:$s,token:$c,password:$p){ accepted ${UE} } }`,
          { s: siteId, c: code, p: password },
          'resetPassword',
        );
        expect(spend.payload.accepted).toBe(false);
        expect(spend.errors.map((e) => e.code)).toEqual([expect.stringMatching(/^(INVALID_CREDENTIALS|VALIDATION)$/)]);
      }),
      RUNS,
    );
  });

  it('the customer profile and the admin customer mutations: any name, address and ids', async () => {
    const customer = await signedInCustomer(t, siteId);
    await fc.assert(
      fc.asyncProperty(fc.option(text), address, id(), async (name, input, someId) => {
        const asCustomer = { token: customer.token };
        const profile = await attempt(
          `mutation($s:ID!,$i:UpdateCustomerProfileInput!){ updateCustomerProfile(siteId:$s,input:$i){ customer{ name } ${UE} } }`,
          { s: siteId, i: { name } },
          'updateCustomerProfile',
          asCustomer,
        );
        if (name !== null && !inBounds(name, 200) && name.trim() !== '') expect(validation(profile)).toBe(true);
        const added = await attempt(
          `mutation($s:ID!,$i:AddressInput!){ addCustomerAddress(siteId:$s,input:$i){ address{ id name country } ${UE} } }`,
          { s: siteId, i: input },
          'addCustomerAddress',
          asCustomer,
        );
        if (!inBounds(input.name, 200) || !inBounds(input.city, 200)) expect(validation(added)).toBe(true);
        if (added.payload?.address) {
          expect(added.payload.address.name).toBe(input.name.trim());
          expect(added.payload.address.country).toMatch(/^[A-Z]{2}$/);
          // Saved addresses are capped: remove it again, so 50 runs stay under the cap.
          const removed = await attempt(
            `mutation($s:ID!,$a:ID!){ removeCustomerAddress(siteId:$s,addressId:$a){ customer{ id } ${UE} } }`,
            { s: siteId, a: added.payload.address.id },
            'removeCustomerAddress',
            asCustomer,
          );
          expect(removed.errors).toEqual([]);
        }
        const gone = await attempt(
          `mutation($s:ID!,$a:ID!){ removeCustomerAddress(siteId:$s,addressId:$a){ customer{ id } ${UE} } }`,
          { s: siteId, a: someId },
          'removeCustomerAddress',
          asCustomer,
        );
        expect(gone.errors.map((e) => e.code)).toEqual([expect.stringMatching(/^(NOT_FOUND|VALIDATION)$/)]);
        const disabled = await attempt(
          `mutation($s:ID!,$c:ID!){ setCustomerDisabled(siteId:$s,customerId:$c,disabled:true){ customer{ id } ${UE} } }`,
          { s: siteId, c: someId },
          'setCustomerDisabled',
          asSuper(),
        );
        expect(disabled.errors.map((e) => e.code)).toEqual([expect.stringMatching(/^(NOT_FOUND|VALIDATION)$/)]);
      }),
      RUNS,
    );
  });

  it('refundOrder and the content mutations: any ids and strings (body bounded at 100,000)', async () => {
    await fc.assert(
      fc.asyncProperty(id(), text, text, text, async (someId, slug, title, body) => {
        await attempt(
          `mutation($s:ID!,$o:ID!,$r:String!){ refundOrder(siteId:$s,orderId:$o,reason:$r){ order{ id } ${UE} } }`,
          { s: siteId, o: someId, r: body },
          'refundOrder',
          asSuper(),
        );
        const created = await attempt(
          `mutation($s:ID!,$i:CreateContentItemInput!){ createContentItem(siteId:$s,input:$i){ contentItem{ id title } ${UE} } }`,
          { s: siteId, i: { slug, title, body } },
          'createContentItem',
          asSuper(),
        );
        if (!inBounds(title, 200))
          expect(created.r).toMatchObject({
            data: { createContentItem: { userErrors: expect.arrayContaining([expect.objectContaining({ code: 'VALIDATION' })]) } },
          });
        const itemId = created.payload?.contentItem?.id ?? someId;
        await attempt(
          `mutation($s:ID!,$c:ID!,$b:String!){ reviseContent(siteId:$s,contentItemId:$c,body:$b){ contentItem{ id } ${UE} } }`,
          { s: siteId, c: itemId, b: body },
          'reviseContent',
          asSuper(),
        );
        await attempt(
          `mutation($s:ID!,$c:ID!,$i:String!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:$i){ suggestion{ id } ${UE} } }`,
          { s: siteId, c: itemId, i: title },
          'requestSuggestion',
          asSuper(),
        );
        await attempt(
          `mutation($s:ID!,$id:ID!){ approveSuggestion(siteId:$s,suggestionId:$id){ suggestion{ id } ${UE} } }`,
          { s: siteId, id: someId },
          'approveSuggestion',
          asSuper(),
        );
        await attempt(
          `mutation($s:ID!,$id:ID!,$r:String!){ rejectSuggestion(siteId:$s,suggestionId:$id,reason:$r){ suggestion{ id } ${UE} } }`,
          { s: siteId, id: someId, r: body },
          'rejectSuggestion',
          asSuper(),
        );
      }),
      { numRuns: 25 },
    );
  });
});

describe('the bounds an outside probe found missing', () => {
  const LONE = ['\ud800', 'ok\udfffok', 'a\ud800\ud800b', '\udfff\ud800'];
  // With this run's token: the one flows.ts caches has expired (the adminLogin property moved the clock).
  const newSite = async (name: string) =>
    (await t.op(CreateSiteDocument, { input: { name, currency: 'EUR' } }, asSuper())).data!.createSite.site!.id;
  const newProduct = async (sku: string, priceMinor: number) =>
    (await t.op(CreateProductDocument, { siteId, input: { sku, name: sku, priceMinor } }, asSuper())).data!.createProduct.product!.id;

  it('refuses a lone UTF-16 surrogate with VALIDATION in every user string, writing nothing', async () => {
    const aiSite = await newSite('Surrogates');
    await t.op(SetAiEnabledDocument, { siteId: aiSite, enabled: true }, asSuper());
    const item = await t.op(
      CreateContentItemDocument,
      { siteId: aiSite, input: { slug: 'surrogates', title: 'Title', body: 'Body' } },
      asSuper(),
    );
    const itemId = item.data!.createContentItem.contentItem!.id;
    const suggestion = await t.op(RequestSuggestionDocument, { siteId: aiSite, contentItemId: itemId, instruction: 'Shorter' }, asSuper());
    const suggestionId = suggestion.data!.requestSuggestion.suggestion!.id;
    const address = { name: 'Ada', line1: '1 Way', line2: 'Flat 2', city: 'London', postalCode: 'N1', country: 'GB' };

    // [mutation, variables with the bad string at `bad`, payload field, the field VALIDATION must name, headers]
    const cases: [string, (bad: string) => Record<string, unknown>, string, string[], () => Promise<Headers>][] = [
      [
        `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ id } ${UE} } }`,
        (b) => ({ i: { name: b, currency: 'EUR' } }),
        'createSite',
        ['input', 'name'],
        async () => asSuper(),
      ],
      [
        `mutation($s:ID!,$i:CreateProductInput!){ createProduct(siteId:$s,input:$i){ product{ id } ${UE} } }`,
        (b) => ({ s: siteId, i: { sku: 'S-1', name: b, priceMinor: 1 } }),
        'createProduct',
        ['input', 'name'],
        async () => asSuper(),
      ],
      [
        `mutation($s:ID!,$i:CreateProductInput!){ createProduct(siteId:$s,input:$i){ product{ id } ${UE} } }`,
        (b) => ({ s: siteId, i: { sku: `S-${b}`, name: 'N', priceMinor: 1 } }),
        'createProduct',
        ['input', 'sku'],
        async () => asSuper(),
      ],
      [
        `mutation($i:CreateSiteAdminInput!){ createSiteAdmin(input:$i){ admin{ id } ${UE} } }`,
        (b) => ({ i: { email: `x${b}@example.com`, password: 'long-enough-password', siteIds: [] } }),
        'createSiteAdmin',
        ['input', 'email'],
        async () => asSuper(),
      ],
      ...(['name', 'line1', 'line2', 'city', 'postalCode'] as const).map((k): (typeof cases)[number] => [
        `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id } ${UE} } }`,
        (b) => ({
          s: siteId,
          i: { email: 'ada@example.com', shippingAddress: { ...address, [k]: `${address[k]}${b}` }, billingAddress: address },
        }),
        'setCheckoutDetails',
        ['input', 'shippingAddress', k],
        async () => ({ cartToken: await newCart() }),
      ]),
      [
        `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id } ${UE} } }`,
        (b) => ({ s: siteId, i: { email: `ada${b}@example.com`, shippingAddress: address, billingAddress: address } }),
        'setCheckoutDetails',
        ['input', 'email'],
        async () => ({ cartToken: await newCart() }),
      ],
      ...(['slug', 'title', 'body'] as const).map((k): (typeof cases)[number] => [
        `mutation($s:ID!,$i:CreateContentItemInput!){ createContentItem(siteId:$s,input:$i){ contentItem{ id } ${UE} } }`,
        (b) => ({ s: siteId, i: { slug: 'page-x', title: 'T', body: 'B', [k]: `page${b}` } }),
        'createContentItem',
        ['input', k],
        async () => asSuper(),
      ]),
      [
        `mutation($s:ID!,$c:ID!,$b:String!){ reviseContent(siteId:$s,contentItemId:$c,body:$b){ contentItem{ id } ${UE} } }`,
        (b) => ({ s: aiSite, c: itemId, b: `Body ${b}` }),
        'reviseContent',
        ['body'],
        async () => asSuper(),
      ],
      [
        `mutation($s:ID!,$c:ID!,$i:String!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:$i){ suggestion{ id } ${UE} } }`,
        (b) => ({ s: aiSite, c: itemId, i: `Shorter ${b}` }),
        'requestSuggestion',
        ['instruction'],
        async () => asSuper(),
      ],
      [
        `mutation($s:ID!,$id:ID!,$r:String!){ rejectSuggestion(siteId:$s,suggestionId:$id,reason:$r){ suggestion{ id } ${UE} } }`,
        (b) => ({ s: aiSite, id: suggestionId, r: `No ${b}` }),
        'rejectSuggestion',
        ['reason'],
        async () => asSuper(),
      ],
    ];
    for (const [doc, vars, field, named, headers] of cases) {
      for (const bad of LONE) {
        const o = await attempt(doc, vars(bad), field, await headers());
        expect([field, named, o.errors]).toEqual([field, named, [expect.objectContaining({ code: 'VALIDATION', field: named })]]);
      }
    }
    // Paired surrogates (an emoji) are text like any other.
    const emoji = await attempt(
      `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ name } ${UE} } }`,
      { i: { name: 'Tea 🍵 shop', currency: 'EUR' } },
      'createSite',
      asSuper(),
    );
    expect(emoji.payload.site.name).toBe('Tea 🍵 shop');
  });

  it('bounds the order total in updateCartLine exactly as in addToCart (VALIDATION, never an integer overflow)', async () => {
    const big = await newProduct(`BIG-${Date.now()}`, 100_000_000);
    const cartToken = await newCart();
    const update = (lineId: string, q: number) =>
      attempt(
        `mutation($s:ID!,$l:ID!,$q:Int!){ updateCartLine(siteId:$s,lineId:$l,quantity:$q){ order{ totalMinor } ${UE} } }`,
        { s: siteId, l: lineId, q },
        'updateCartLine',
        { cartToken },
      );
    const add = (p: string, q: number) =>
      attempt(
        `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ totalMinor lines{ id } } ${UE} } }`,
        { s: siteId, p, q },
        'addToCart',
        { cartToken },
      );

    const first = await add(big, 1);
    const lineId = first.payload.order.lines[0].id;
    expect((await update(lineId, 21)).payload.order.totalMinor).toBe(2_100_000_000);
    const over = await update(lineId, 22);
    expect(over.errors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['quantity'] })]);
    expect((await add(big, 1)).errors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['quantity'] })]);
    // The bound is on the whole order: a second line can push it over too, and lowering a line is always fine.
    expect((await add(productId, 1)).payload.order.totalMinor).toBe(2_100_000_999);
    expect((await update(lineId, 21)).payload.order.totalMinor).toBe(2_100_000_999);
    expect((await update(lineId, 20)).payload.order.totalMinor).toBe(2_000_000_999);
  });

  it('updateCartLine with big prices: any quantities answer a total that fits in Int or VALIDATION', async () => {
    const big = await newProduct(`HUGE-${Date.now()}`, 100_000_000);
    const cartToken = await newCart();
    await addToCart(t, cartToken, siteId, big, 1);
    const all: { id: string; unitPriceMinor: number; quantity: number }[] = (await addToCart(t, cartToken, siteId, productId, 1)).data!
      .addToCart.order!.lines;
    const quantities = new Map(all.map((l) => [l.id, l.quantity]));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), fc.integer({ min: 1, max: 1000 }), async (line, q) => {
        const o = await attempt(
          `mutation($s:ID!,$l:ID!,$q:Int!){ updateCartLine(siteId:$s,lineId:$l,quantity:$q){ order{ totalMinor } ${UE} } }`,
          { s: siteId, l: line.id, q },
          'updateCartLine',
          { cartToken },
        );
        const wanted = all.reduce((sum, l) => sum + (l.id === line.id ? q : quantities.get(l.id)!) * l.unitPriceMinor, 0);
        if (wanted > INT_MAX) expect(o.errors.map((e) => e.code)).toEqual(['VALIDATION']);
        else {
          expect(o.payload.order.totalMinor).toBe(wanted);
          quantities.set(line.id, q);
        }
      }),
      RUNS,
    );
  });

  it('answers an empty connection for a cursor that is not a valid, in-range timestamp and uuid', async () => {
    const uuid = '0190c0de-0000-7000-8000-000000000001';
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    const bad = [
      `99999|${uuid}`,
      `+275760-09-13T00:00:00.000Z|${uuid}`,
      `-271821-04-20T00:00:00.000Z|${uuid}`,
      `+010000-01-01T00:00:00.000Z|${uuid}`,
      `-000001-01-01T00:00:00.000Z|${uuid}`,
      `2026-13-01T00:00:00.000Z|${uuid}`,
      `2026-01-01T00:00:00.000Z|not-a-uuid`,
      `2026-01-01T00:00:00.000Z`,
      `0000-01-01T00:00:00.000Z|${uuid}`,
      `1e20|${uuid}`,
      `${'9'.repeat(400)}|${uuid}`,
      `\u0000|${uuid}`,
    ].map(enc);
    const queries = [
      ['products', `query($s:ID!,$a:String){ products(siteId:$s,after:$a){ edges{ cursor } pageInfo{ hasNextPage endCursor } } }`, {}],
      ['orders', `query($s:ID!,$a:String){ orders(siteId:$s,after:$a){ edges{ cursor } pageInfo{ hasNextPage endCursor } } }`, asSuper()],
      [
        'auditLog',
        `query($s:ID!,$a:String){ auditLog(siteId:$s,after:$a){ edges{ cursor } pageInfo{ hasNextPage endCursor } } }`,
        asSuper(),
      ],
    ] as const;
    const empty = { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    for (const [field, doc, headers] of queries) {
      for (const after of [...bad, 'not base64 at all', '|||', '']) {
        const r = await t.gql(doc, { s: siteId, a: after }, headers);
        expect([field, after, r.errors ?? [], r.data?.[field]]).toEqual([field, after, [], after === '' ? expect.anything() : empty]);
      }
      // In range, at the ends: the far past pages from the first row, the far future after the last.
      const past = await t.gql(doc, { s: siteId, a: enc(`0001-01-01T00:00:00.000Z|${uuid}`) }, headers);
      expect([field, past.errors ?? [], past.data?.[field]?.edges.length > 0]).toEqual([field, [], true]);
      const future = await t.gql(doc, { s: siteId, a: enc(`9999-12-31T23:59:59.999Z|${uuid}`) }, headers);
      expect([field, future.errors ?? [], future.data?.[field]]).toEqual([field, [], empty]);
    }
  });

  it('any cursor at all: never an internal error (fast-check)', async () => {
    const date = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true });
    const cursor = fc.oneof(
      text,
      fc.tuple(date, fc.uuid()).map(([d, u]) => Buffer.from(`${d.toISOString()}|${u}`).toString('base64url')),
      fc.tuple(text, fc.uuid()).map(([s, u]) => Buffer.from(`${s}|${u}`).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(cursor, fc.constantFrom('products', 'orders', 'auditLog'), async (after, field) => {
        const r = await t.gql(
          `query($s:ID!,$a:String){ ${field}(siteId:$s,after:$a){ edges{ cursor } } }`,
          { s: siteId, a: after },
          asSuper(),
        );
        expect(r.status).toBeLessThan(500);
        expect(r.errors ?? []).toEqual([]);
      }),
      RUNS,
    );
  });
});
