import { QUERY_LIMITS } from '../../src/app';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { openDbState, type DbState } from '../support/db-state';

/** Query hardening at the HTTP edge: CONTRACT's limits, batching, CSRF, body size; production hides internals. */
let t: TestAegis;
let prod: TestAegis;
let db: DbState;

beforeAll(async () => {
  [t, prod] = await Promise.all([startTestAegis(), startTestAegis({ env: { NODE_ENV: 'production' } })]);
  db = await openDbState(t.dbUrl);
});
afterAll(async () => {
  await db.close();
  await Promise.all([t.close(), prod.close()]);
});

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}
async function send(server: TestAegis, init: RequestInit & { query?: string } = {}): Promise<Answer> {
  const res = await fetch(`${server.aegis.url}/graphql${init.query ?? ''}`, init);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}
const post = (server: TestAegis, payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  send(server, { method: 'POST', headers, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
const messages = (a: Answer) => a.body.errors?.map((e) => e.message).join(' | ') ?? '';

/** `__type(name: "Order") { fields { type { fields { ... name } } } }`: valid at any depth, since the type graph cycles. */
function deepQuery(levels: number): string {
  let selection = 'name';
  for (let i = 0; i < levels; i++) selection = `${i % 2 ? 'type' : 'fields'} { ${selection} }`;
  return `{ __type(name: "Order") { ${selection} } }`;
}
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: site(siteId: "x") { id }`).join(' ')} }`;

describe('query limits (CONTRACT: at least depth 10, aliases 15, tokens 1,000)', () => {
  it('are configured at least as strictly as CONTRACT', () => {
    expect(QUERY_LIMITS.maxDepth).toBeLessThanOrEqual(10);
    expect(QUERY_LIMITS.maxAliases).toBeLessThanOrEqual(15);
    expect(QUERY_LIMITS.maxTokens).toBeLessThanOrEqual(1000);
  });

  it('refuses a query deeper than 10 with 400, and runs one of depth 6', async () => {
    const within = await post(t, { query: `{ orders(siteId: "x") { edges { node { lines { product { id } } } } } }` });
    expect(messages(within)).not.toMatch(/depth/);
    const deep = await post(t, { query: deepQuery(9) });
    expect(deep.status).toBe(400);
    expect(messages(deep)).toMatch(/depth limit of 10 exceeded/);
  });

  it('refuses 16 aliases with 400, and runs 15', async () => {
    expect((await post(t, { query: aliases(15) })).status).toBe(200);
    const many = await post(t, { query: aliases(16) });
    expect(many.status).toBe(400);
    expect(messages(many)).toMatch(/Aliases limit of 15 exceeded/);
  });

  it('refuses a document of more than 1,000 tokens with 400 (not 500)', async () => {
    const listOf = (n: number) => `mutation { setAdminSites(adminId: "x", siteIds: [${'"s" '.repeat(n)}]) { userErrors { code } } }`;
    const long = await post(t, { query: listOf(1000) });
    expect(long.status).toBe(400);
    expect(long.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const within = await post(t, { query: listOf(950) });
    expect([within.status, messages(within)]).toEqual([200, 'Authentication required']);
  });

  it(`refuses a query costing more than ${QUERY_LIMITS.maxCost} with 400`, async () => {
    let selection = `name ${'description '.repeat(300)}`;
    for (let i = 0; i < 7; i++) selection = `${i % 2 ? 'type' : 'fields'} { ${selection} }`;
    const costly = await post(t, { query: `{ __type(name: "Order") { ${selection} } }` });
    expect(costly.status).toBe(400);
    expect(messages(costly)).toMatch(/Cost limit of 5000 exceeded/);
  });
});

describe('transport hardening', () => {
  const MUTATION = 'mutation { createCart(siteId: "0190c0de-0000-7000-8000-000000000000") { cartToken } }';

  it('refuses a batched array of operations with 400, running none', async () => {
    const before = await db.snapshot();
    const batch = await post(t, [{ query: MUTATION }, { query: MUTATION }]);
    expect(batch.status).toBe(400);
    expect(messages(batch)).toMatch(/batching disabled/i);
    expect(await db.snapshot()).toEqual(before);
  });

  it('refuses a text/plain POST (CSRF) with 400, running nothing', async () => {
    const before = await db.snapshot();
    const csrf = await post(t, { query: MUTATION }, { 'content-type': 'text/plain' });
    expect(csrf.status).toBe(400);
    expect(messages(csrf)).toMatch(/Cross-Site Request Forgery/);
    expect(await db.snapshot()).toEqual(before);
  });

  it('refuses a mutation over GET with 400 (CSRF), and with a preflight header still refuses it (405)', async () => {
    const before = await db.snapshot();
    const query = `?query=${encodeURIComponent(MUTATION)}`;
    expect((await send(t, { method: 'GET', query })).status).toBe(400);
    const preflighted = await send(t, { method: 'GET', query, headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(405);
    expect(messages(preflighted)).toMatch(/GET requests only support query operations/);
    expect(await db.snapshot()).toEqual(before);
  });

  it('refuses a body over 1 MB with 413, as JSON', async () => {
    const big = await post(t, { query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect((await post(t, { query: '{ __typename }', variables: { pad: 'x'.repeat(1000 * 1000) } })).status).toBe(200);
  });
});

describe('in production (NODE_ENV=production)', () => {
  const INTROSPECTION = '{ __schema { queryType { name } } }';
  const TYPO = '{ prodcts(siteId: "x") { edges { cursor } } }';

  it('answers no introspection (which development allows)', async () => {
    expect((await post(t, { query: INTROSPECTION })).body.data.__schema.queryType.name).toBe('Query');
    const refused = await post(prod, { query: INTROSPECTION });
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(messages(refused)).toMatch(/introspection/i);
  });

  it('gives no field suggestions (which development gives)', async () => {
    expect(messages(await post(t, { query: TYPO }))).toMatch(/Did you mean "products"/);
    const prodAnswer = await post(prod, { query: TYPO });
    expect(prodAnswer.status).toBe(400);
    expect(messages(prodAnswer)).not.toMatch(/Did you mean|products/);
  });

  it('returns no stack trace on any error (which development returns)', async () => {
    const bad = [{ query: TYPO }, { query: 'query($x: Int!) { products(siteId: "x", first: $x) { edges { cursor } } }', variables: { x: 'NaN' } }, { query: '{' }];
    expect(JSON.stringify((await post(t, bad[0])).body)).toContain('stacktrace');
    for (const payload of bad) {
      const answer = await post(prod, payload);
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
    }
    const big = await send(prod, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).not.toMatch(/stack|at \w+ \(/);
  });
});
