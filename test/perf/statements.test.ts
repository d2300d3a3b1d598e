import { startTestAegis, type TestAegis } from '../support/aegis';
import { addToCart, createCart, createProduct, createSite, setDetails } from '../support/flows';
import { setStock } from '../support/stock-ledger';

/**
 * Statement budgets of the hot commands (issue 5): counted from the ORM's query log, not timed. BEGIN, COMMIT
 * and the per-transaction tenant setting are not counted.
 */
let t: TestAegis;
let log: string[] = [];
beforeAll(async () => {
  t = await startTestAegis({ onQuery: (sql) => log.push(sql) });
});
afterAll(() => t.close());

const counted = () =>
  log.filter(
    (l) =>
      !/\b(begin|commit|rollback)\b|set_config\('app\.site_id'/i.test(l.replace(/\[query\]\s*/, '').slice(0, 60)) && /\[query\]/.test(l),
  );

async function measure(op: () => Promise<unknown>) {
  log = [];
  await op();
  return counted();
}

it('addToCart and checkout stay within their statement budgets', async () => {
  const siteId = await createSite(t);
  const p1 = await createProduct(t, siteId, 'A', 100);
  const p2 = await createProduct(t, siteId, 'B', 200);
  const { cartToken } = await createCart(t, siteId);
  // Probes, not the storefront's documents: they select no field that needs a read of its own (lines, attempts), so
  // only the command's statements are counted.
  const add = `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ id totalMinor } userErrors{ code } } }`;
  const first = await measure(() => t.gql(add, { s: siteId, p: p1, q: 1 }, { cartToken }));
  const again = await measure(() => t.gql(add, { s: siteId, p: p1, q: 1 }, { cartToken }));
  await addToCart(t, cartToken, siteId, p2, 1);
  await setDetails(t, cartToken, siteId);
  const co = await measure(() =>
    t.gql(
      `mutation($s:ID!){ checkout(siteId:$s){ order{ id state } paymentSession{ id } userErrors{ code } } }`,
      { s: siteId },
      { cartToken },
    ),
  );
  expect(first.length).toBeLessThanOrEqual(5);
  expect(again.length).toBeLessThanOrEqual(5);
  // 5 before stock; the reservation is one set-based statement, whatever the lines (README "Stock").
  expect(co.length).toBeLessThanOrEqual(6);
});

it("checkout's budget does not grow with its tracked lines: one reservation statement for 1 line or 10", async () => {
  const siteId = await createSite(t);
  const checkoutWith = async (lines: number) => {
    const { cartToken } = await createCart(t, siteId);
    for (let i = 0; i < lines; i++) {
      const p = await createProduct(t, siteId, `T${lines}-${i}`, 100);
      await setStock(t, siteId, p, 10);
      await addToCart(t, cartToken, siteId, p, 1);
    }
    await setDetails(t, cartToken, siteId);
    return measure(() =>
      t.gql(`mutation($s:ID!){ checkout(siteId:$s){ order{ id state } userErrors{ code } } }`, { s: siteId }, { cartToken }),
    );
  };
  const one = await checkoutWith(1);
  const ten = await checkoutWith(10);
  expect(one.length).toBeLessThanOrEqual(6);
  expect(ten.length).toBe(one.length);
  expect(ten.filter((q) => /stock_movements/.test(q))).toHaveLength(1);
  // It travels in COMMIT's message (the product rows locked for that message only), refusing there if short.
  for (const sent of [one, ten])
    expect(sent.filter((q) => /stock_movements/.test(q)).map((q) => /refuse_stock_shortfalls\(.*\) as sent_with_commit/s.test(q))).toEqual([
      true,
    ]);
});

it("addToCart with the cart's lines selected reads them in the command's own transaction, as the command left them", async () => {
  const siteId = await createSite(t);
  const p1 = await createProduct(t, siteId, 'L1', 150);
  const p2 = await createProduct(t, siteId, 'L2', 300);
  const { cartToken } = await createCart(t, siteId);
  // Through a fragment, as a storefront's typed documents select them.
  const add = `fragment CartLines on Order { lines { quantity lineTotalMinor product { id } } }
    mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ id totalMinor ...CartLines } userErrors{ code } } }`;
  await t.gql(add, { s: siteId, p: p1, q: 2 }, { cartToken });
  const statements = await measure(async () => {
    const r = await t.gql(add, { s: siteId, p: p2, q: 1 }, { cartToken });
    const order = (r as { data: { addToCart: { order: { totalMinor: number; lines: unknown[] } } } }).data.addToCart.order;
    expect(order.totalMinor).toBe(600);
    // Lines come in the order of their ids (random uuids), as the lines field always answered them.
    expect(order.lines).toHaveLength(2);
    expect(order.lines).toEqual(
      expect.arrayContaining([
        { quantity: 2, lineTotalMinor: 300, product: { id: p1 } },
        { quantity: 1, lineTotalMinor: 300, product: { id: p2 } },
      ]),
    );
  });
  const begins = log.filter((l) => /\[query\]\s*begin/i.test(l));
  expect(begins).toHaveLength(1);
  // The command's 5 and the one read of the lines with their products.
  expect(statements.length).toBeLessThanOrEqual(6);
  expect(statements.filter((q) => /from order_lines l join products/.test(q))).toHaveLength(1);
});

it('requestSuggestion on a site with AI disabled sends only the admin check once the switch is known: no transaction', async () => {
  const siteId = await createSite(t);
  const token = await t.superToken();
  const ask = `mutation($s:ID!,$c:ID!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:"x"){ userErrors{ code } } }`;
  const item = '00000000-0000-4000-8000-000000000001';
  const first = await measure(() => t.gql(ask, { s: siteId, c: item }, { token }));
  log = [];
  const r = await t.gql(ask, { s: siteId, c: item }, { token });
  expect(r.data.requestSuggestion.userErrors).toEqual([{ code: 'AI_DISABLED' }]);
  // The first asks the database for the flag; from then on the AI switch answers from memory (its change feed is live).
  expect(first.filter((q) => /from sites/.test(q))).toHaveLength(1);
  expect(log.filter((l) => /\[query\]/.test(l))).toHaveLength(1);
  expect(counted()[0]).toMatch(/from admins a left join admin_sites/);
});
