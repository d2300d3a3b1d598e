import { Client } from 'pg';
import { preload } from '../../bench/preload';
import { requestRoleName } from '../../src/db/request-role-name';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { paid } from '../payments/support';
import { addToCart, checkout, createCart, createProduct, createSite, getCart, setDetails } from '../support/flows';
import { setStock } from '../support/stock-ledger';

/**
 * "Flat as the data grows" (issue 15): every statement of the hot path, captured from the ORM's query log while
 * a purchase runs, is EXPLAINed as the request role, bound to the site, on a database that already holds other
 * sites' history (bench/preload.ts, analysed). A sequential scan of a tenant table fails, naming the statement.
 */
jest.setTimeout(180_000);
let t: TestAegis;
let tenantTables: Set<string>;

/**
 * The statements the server sends, with their values: recorded at the driver (pg's Client.query, which knex
 * calls for every statement), while `recording` is set. The values let EXPLAIN plan each as it ran.
 */
let recording: { text: string; values: unknown[] }[] | null = null;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
  const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown];
  const text = typeof first === 'string' ? first : first?.text;
  const values = typeof first === 'string' ? second : first?.values;
  if (recording && typeof text === 'string') recording.push({ text, values: Array.isArray(values) ? values : [] });
  return query.apply(this, args);
};

beforeAll(async () => {
  t = await startTestAegis();
  await preload(t.dbUrl, { sites: 100, ordersPerSite: 200, log: () => undefined });
  const rows = await ownerQuery<{ table_name: string }>(
    `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'site_id'`,
  );
  tenantTables = new Set(rows.map((r) => r.table_name));
});
afterAll(() => t.close());

async function ownerQuery<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: t.dbUrl });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

interface Statement {
  text: string;
  values: unknown[];
}

/** The statements of one operation, as the driver sent them, without transaction control. */
async function statementsOf(op: () => Promise<unknown>): Promise<Statement[]> {
  const sent: Statement[] = [];
  recording = sent;
  await op();
  recording = null;
  // Plannable statements only: transaction control (begin, start transaction, commit) and the tenant setting are not.
  // The job queue's polling (pg-boss, its own pool and schema) runs meanwhile: not the operation's statements.
  // One message may carry several statements (a lookup sent with BEGIN, the writes sent with COMMIT, a message of
  // reads, src/db/one-message.ts): each is planned alone. Their values are inlined; this test's values hold no newline,
  // so ";\n" only ever ends a statement here.
  const each = sent.flatMap((s) => (s.values.length > 0 ? [s] : s.text.split(/;\n/).map((text) => ({ text, values: [] }))));
  return each.filter(
    (s) => /^\s*(select|insert|update|delete|with)\b/i.test(s.text) && !/set_config\('app\.site_id'|pgboss\./.test(s.text),
  );
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const seqScans = (n: PlanNode): string[] => [
  ...(n['Node Type'] === 'Seq Scan' && n['Relation Name'] ? [n['Relation Name']] : []),
  ...(n.Plans ?? []).flatMap(seqScans),
];

/** EXPLAIN as the request role, bound to the site, as the server runs it (row-level security's quals included). */
async function scansOf(siteId: string, statement: Statement, role: 'request' | 'owner' = 'request'): Promise<string[]> {
  const c = new Client({ connectionString: t.dbUrl });
  await c.connect();
  try {
    await c.query('begin');
    if (role === 'request') await c.query(`set local role ${requestRoleName(new URL(t.dbUrl).pathname.slice(1))}`);
    await c.query(`select set_config('app.site_id', $1, true)`, [siteId]);
    const [row] = (
      (await query.call(c, `explain (format json) ${statement.text}`, statement.values)) as {
        rows: { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
      }
    ).rows;
    return seqScans(row['QUERY PLAN'][0].Plan).filter((table) => tenantTables.has(table));
  } finally {
    await c.query('rollback').catch(() => undefined);
    await c.end();
  }
}

it('reads no tenant table whole on the hot path: every statement of a purchase, its reads and its webhook', async () => {
  const siteId = await createSite(t, 'Plans');
  const p1 = await createProduct(t, siteId, 'PLAN-1', 1200);
  const p2 = await createProduct(t, siteId, 'PLAN-2', 800);
  await setStock(t, siteId, p1, 1000);
  const ops: Record<string, Statement[]> = {};
  let cartToken = '';
  ops.createCart = await statementsOf(async () => {
    cartToken = (await createCart(t, siteId)).cartToken;
  });
  ops.addToCart = await statementsOf(() => addToCart(t, cartToken, siteId, p1, 2));
  ops.addToCartAgain = await statementsOf(() => addToCart(t, cartToken, siteId, p2, 1));
  ops.setCheckoutDetails = await statementsOf(() => setDetails(t, cartToken, siteId));
  let intentId = '';
  ops.checkout = await statementsOf(async () => {
    intentId = (await checkout(t, cartToken, siteId)).data!.checkout.paymentSession!.id;
  });
  ops.webhook = await statementsOf(() => paid(t, intentId));
  ops.cart = await statementsOf(() => getCart(t, cartToken, siteId));
  ops.products = await statementsOf(() =>
    t.gql(`query($s:ID!){ products(siteId:$s, first: 20){ edges{ node{ id sku name priceMinor available } } } }`, { s: siteId }),
  );
  expect(Object.values(ops).every((s) => s.length > 0)).toBe(true);
  expect(Object.values(ops).flat().length).toBeGreaterThan(20);

  const found: string[] = [];
  for (const [op, statements] of Object.entries(ops))
    for (const statement of statements)
      for (const table of await scansOf(siteId, statement)) found.push(`${op}: Seq Scan on ${table} in ${statement.text.slice(0, 300)}`);
  expect(found).toEqual([]);
});

it('sees a sequential scan when a statement has no index to use (the check itself)', async () => {
  const siteId = (await ownerQuery<{ id: string }>(`select id from sites where name = 'Preloaded site 1'`))[0].id;
  // As the owner (no row-level security qual naming the site) and with no index on email, the table is read whole.
  const statement = { text: `select id from orders where email = $1`, values: ['shopper7@example.com'] };
  expect(await scansOf(siteId, statement, 'owner')).toEqual(['orders']);
});
