import { CreateCartDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { addToCart, createCart, createProduct, createSite, getCart } from '../support/flows';
import { orderState, runExpiryJob, sql } from './support';

/** Abandoned carts do not accumulate: untouched DRAFTs expire, and a client cannot create carts without bound. */
const DAY = 24 * 3600 * 1000;
const clock = new TestClock();
let t: TestAegis;
let siteId: string;

beforeAll(async () => {
  t = await startTestAegis({
    clock,
    env: { EXPIRY_JOB_CRON: 'off', DRAFT_CART_TTL_DAYS: '30', CART_RATE_LIMIT_PER_MINUTE: '5', TOKEN_TTL_SECONDS: String(365 * 24 * 3600) },
  });
  siteId = await createSite(t);
});
afterAll(() => t.close());

describe('untouched DRAFT carts', () => {
  it('expire after DRAFT_CART_TTL_DAYS with an audited transition; a cart edited meanwhile is kept', async () => {
    const productId = await createProduct(t, siteId, 'MUG', 1000);
    const abandoned = await createCart(t, siteId);
    const touched = await createCart(t, siteId);
    clock.advance(29 * DAY);
    expect((await addToCart(t, touched.cartToken, siteId, productId, 1)).data!.addToCart.userErrors).toEqual([]);
    clock.advance(1 * DAY + 60_000);

    expect(await runExpiryJob(t)).toBe('completed');
    expect(await orderState(t, abandoned.orderId)).toBe('EXPIRED');
    expect(await orderState(t, touched.orderId)).toBe('DRAFT');
    expect(
      await sql(
        t.dbUrl,
        `select actor, action, from_state, to_state, reason from audit_log where entity_id = $1 and to_state = 'EXPIRED'`,
        [abandoned.orderId],
      ),
    ).toEqual([
      { actor: 'system:scheduler', action: 'order.expireCart', from_state: 'DRAFT', to_state: 'EXPIRED', reason: 'cart untouched' },
    ]);
    // The visitor's token still reads its cart, which can no longer be edited.
    expect((await getCart(t, abandoned.cartToken, siteId)).data!.cart!.state).toBe('EXPIRED');
    expect((await addToCart(t, abandoned.cartToken, siteId, productId, 1)).data!.addToCart.userErrors[0].code).toBe('INVALID_TRANSITION');

    // A second run changes nothing more.
    expect(await runExpiryJob(t)).toBe('completed');
    expect(
      await sql(t.dbUrl, `select count(*)::int as n from audit_log where entity_id = $1 and to_state = 'EXPIRED'`, [abandoned.orderId]),
    ).toEqual([{ n: 1 }]);
  });
});

describe('createCart', () => {
  it('is rate-limited per client (CART_RATE_LIMIT_PER_MINUTE), and the window passes', async () => {
    clock.advance(60_000);
    const create = () => t.op(CreateCartDocument, { siteId });
    // The answers as far as this test reads them: the token and each error's code and message.
    const answers = [];
    for (let i = 0; i < 7; i++) {
      const { cartToken, userErrors } = (await create()).data!.createCart;
      answers.push({ cartToken, userErrors: userErrors.map(({ code, message }) => ({ code, message })) });
    }
    expect(answers.slice(0, 5).every((a) => a.cartToken && a.userErrors.length === 0)).toBe(true);
    expect(answers.slice(5)).toEqual(
      Array(2).fill({
        cartToken: null,
        userErrors: [{ code: 'RATE_LIMITED', message: 'Too many carts created from this client; try again in a minute' }],
      }),
    );
    clock.advance(60_000);
    expect((await create()).data!.createCart.userErrors).toEqual([]);
  });
});
