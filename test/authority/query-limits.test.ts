import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { execSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CartDocument, CreateCartDocument, CreateSiteDocument, UpdateCartLineDocument } from '../../clients/generated/graphql';
import { QUERY_LIMITS } from '../../src/app';
import { CONTENT_PAGE } from '../../src/domain/content/queries';
import { MAX_CART_LINES } from '../../src/domain/order/cart';
import { MAX_COST } from '../../src/graphql-limits/cost-table';
import { assertListsSized, queryCost } from '../../src/graphql-limits/query-cost';
import { MAX_RESPONSE_BYTES } from '../../src/http/response-size';
import { buildGraphQLSchema } from '../../src/schema/build';
import { startTestAegis, type Headers, type TestAegis } from '../support/aegis';
import { openDbState, type DbState } from '../support/db-state';
import { spawnOnFreshDatabase, type ServerProcess } from '../support/server-process';
import { ownerSql } from '../support/sql';

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
    const within = await post(t, { query: `{ orders(siteId: "x", first: 5) { edges { node { lines { product { id } } } } } }` });
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
    // 100 orders of up to 100 lines each.
    const costly = await post(t, { query: `{ orders(siteId: "x", first: 100) { edges { node { lines { id } } } } }` });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
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
    const bad = [
      { query: TYPO },
      { query: 'query($x: Int!) { products(siteId: "x", first: $x) { edges { cursor } } }', variables: { x: 'NaN' } },
      { query: '{' },
    ];
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

/** The bounds README and CONTRACT state; the tests below hold the server to them. */
const CART_LINES = 100;
const RESPONSE_BYTES = 2 * 1024 * 1024;
const PAGE = { default: 20, max: 100 };
const BODY = 'x'.repeat(100_000);

type Client = Pick<TestAegis, 'op' | 'gql' | 'superToken'>;

/** `n` mutations, 15 aliases a request (the alias limit); each alias's payload, in order. */
async function aliased(c: Client, n: number, field: (i: number) => string, headers: Headers = {}): Promise<any[]> {
  const payloads: any[] = [];
  for (let from = 0; from < n; from += 15) {
    const count = Math.min(15, n - from);
    const r = await c.gql(`mutation { ${Array.from({ length: count }, (_, k) => `m${k}: ${field(from + k)}`).join(' ')} }`, {}, headers);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    for (let k = 0; k < count; k++) payloads.push(r.data[`m${k}`]);
  }
  return payloads;
}

async function newSite(c: Client): Promise<string> {
  const r = await c.op(CreateSiteDocument, { input: { name: 'Big shop', currency: 'EUR' } }, { token: await c.superToken() });
  return r.data!.createSite.site!.id;
}

async function catalogue(c: Client, siteId: string, n: number): Promise<string[]> {
  const field = (i: number) =>
    `createProduct(siteId: "${siteId}", input: { sku: "SKU-${i}", name: "Product ${i}", priceMinor: 100 }) { product { id } }`;
  return (await aliased(c, n, field, { token: await c.superToken() })).map((p) => p.product.id);
}

const newCart = async (c: Client, siteId: string): Promise<string> =>
  (await c.op(CreateCartDocument, { siteId })).data!.createCart.cartToken!;

const addLines = (c: Client, siteId: string, cartToken: string, productIds: string[]) =>
  aliased(
    c,
    productIds.length,
    (i) => `addToCart(siteId: "${siteId}", productId: "${productIds[i]}", quantity: 1) { order { id } userErrors { code message field } }`,
    { cartToken },
  );

/**
 * Three clients, each posting `query` up to `times` times in a row for at most `withinMs`, in a process of their own
 * (so this test's event loop only times /healthz); resolves with how many answers they read.
 */
function threeClients(
  url: string,
  query: string,
  headers: Record<string, string>,
  o: { times: number; withinMs: number },
): Promise<number> {
  const script = `
    const [url, body, headers, times, until] = process.argv.slice(1);
    let read = 0;
    const loop = async () => {
      for (let i = 0; i < Number(times) && Date.now() < Number(until); i++) {
        await (await fetch(url, { method: 'POST', headers: JSON.parse(headers), body })).text();
        read += 1;
      }
    };
    Promise.all([loop(), loop(), loop()]).then(() => console.log(read));`;
  const args = [
    `${url}/graphql`,
    JSON.stringify({ query }),
    JSON.stringify({ 'content-type': 'application/json', ...headers }),
    String(o.times),
    String(Date.now() + o.withinMs),
  ];
  const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`clients exited with ${code}`)))),
  );
}

async function until(check: () => boolean, ms = 5000) {
  for (const started = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - started > ms) throw new Error('condition not met in time');
  }
}

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** A process's CPU time so far (user + system), from /proc/<pid>/stat, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) " comes field 3 (state); utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Until the process has used no CPU for 200 ms (at most 5 s): nothing left running from earlier requests. */
async function quiet(pid: number): Promise<void> {
  const until = Date.now() + 5_000;
  for (let last = cpuMs(pid); Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = cpuMs(pid);
    if (now === last) return;
    last = now;
  }
}

/** Values for an operation's required variables, so its cost can be computed; sizes (`first`) keep their defaults. */
function requiredVariables(schema: GraphQLSchema, op: OperationDefinitionNode) {
  const dummy = (type: GraphQLInputType): unknown => {
    const t = getNullableType(type) as GraphQLInputType;
    if (isListType(t)) return [dummy(t.ofType)];
    if (isInputObjectType(t))
      return Object.fromEntries(
        Object.values(t.getFields())
          .filter((f) => isNonNullType(f.type))
          .map((f) => [f.name, dummy(f.type)]),
      );
    if (isEnumType(t)) return t.getValues()[0].value;
    return ({ Int: 1, Boolean: true } as Record<string, unknown>)[(t as { name: string }).name] ?? 'x';
  };
  const required = (op.variableDefinitions ?? []).filter((v) => v.type.kind === Kind.NON_NULL_TYPE);
  return Object.fromEntries(required.map((v) => [v.variable.name.value, dummy(typeFromAST(schema, v.type) as GraphQLInputType)]));
}

describe('the query cost counts what lists hold (issue "Bounded work per request")', () => {
  const schema = buildGraphQLSchema();
  const cost = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), variables);

  it('keeps the bounds README and CONTRACT state', () => {
    expect([MAX_COST, MAX_CART_LINES, MAX_RESPONSE_BYTES, CONTENT_PAGE]).toEqual([5000, CART_LINES, RESPONSE_BYTES, PAGE]);
  });

  it('sizes every list field, and weighs a body as 100 scalars', () => {
    expect(() => assertListsSized(schema)).not.toThrow();
    expect(cost('{ cart(siteId: "s") { lines { id } } }')).toBe(1 + 1 + CART_LINES * 1);
    expect(cost('{ contentItem(siteId: "s", id: "i") { currentVersion { number } } }')).toBe(3);
    expect(cost('{ contentItem(siteId: "s", id: "i") { currentVersion { body } } }')).toBe(102);
    expect(cost('{ contentItems(siteId: "s") { id } }')).toBe(1 + PAGE.default);
    expect(cost('{ contentItems(siteId: "s", first: 100000) { id } }')).toBe(1 + PAGE.max);
    expect(cost('query($n: Int) { products(siteId: "s", first: $n) { edges { cursor } } }', { n: 7 })).toBe(1 + 7 * 2);
  });

  it('lets every operation of the storefront and admin clients through', () => {
    for (const client of ['storefront', 'admin']) {
      const doc = parse(readFileSync(path.join(__dirname, '..', '..', 'clients', `${client}.graphql`), 'utf8'));
      const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const costs = ops.map((op) => [op.name!.value, queryCost(schema, doc, requiredVariables(schema, op), op.name!.value)] as const);
      expect(costs.length).toBeGreaterThan(5);
      expect(costs.filter(([, c]) => c > MAX_COST)).toEqual([]);
    }
  });

  it('counts a page size passed as a variable (a validation rule could not: Apollo caches validation per document)', async () => {
    const query = `query($n: Int) { ${Array.from({ length: 15 }, (_, i) => `p${i}: products(siteId: "x", first: $n) { edges { node { id sku name priceMinor currency } } }`).join(' ')} }`;
    const small = await post(t, { query, variables: { n: 10 } });
    expect([small.status, small.body.data?.p0]).toEqual([200, { edges: [] }]);
    const large = await post(t, { query, variables: { n: 100 } });
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(messages(large)).toContain(`Cost limit of 5000 exceeded, found ${cost(query, { n: 100 })}`);
  });
});

describe('a full cart, on a server process of its own (issue "Bounded work per request", part High)', () => {
  let proc: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let server: ServerProcess;
  let siteId: string;
  let productIds: string[];
  let fullCart: string;
  const PROBE = () =>
    `{ ${Array.from({ length: 15 }, (_, i) => `c${i}: cart(siteId: "${siteId}") { id lines { id quantity unitPriceMinor lineTotalMinor product { id siteId sku name priceMinor currency } } }`).join(' ')} }`;

  beforeAll(async () => {
    proc = await spawnOnFreshDatabase();
    server = proc.server;
    siteId = await newSite(server);
    // A catalogue larger than a cart may hold.
    productIds = await catalogue(server, siteId, CART_LINES + 20);
    fullCart = await newCart(server, siteId);
    const added = await addLines(server, siteId, fullCart, productIds.slice(0, CART_LINES));
    expect(added.flatMap((a) => a.userErrors)).toEqual([]);
  }, 120_000);
  afterAll(() => proc?.close());

  it('takes a 100th line, refuses a 101st with VALIDATION on productId, and still changes the lines it holds', async () => {
    const cartToken = await newCart(server, siteId);
    expect((await addLines(server, siteId, cartToken, productIds.slice(0, CART_LINES - 1))).flatMap((a) => a.userErrors)).toEqual([]);
    const [hundredth] = await addLines(server, siteId, cartToken, [productIds[CART_LINES - 1]]);
    expect(hundredth.userErrors).toEqual([]);
    const [extra] = await addLines(server, siteId, cartToken, [productIds[CART_LINES]]);
    expect(extra).toEqual({
      order: null,
      userErrors: [{ code: 'VALIDATION', message: expect.stringMatching(/at most 100 lines/), field: ['productId'] }],
    });

    const [more] = await addLines(server, siteId, cartToken, [productIds[0]]);
    expect(more.userErrors).toEqual([]);
    const lines = (await server.op(CartDocument, { siteId }, { cartToken })).data!.cart!.lines;
    expect(lines).toHaveLength(CART_LINES);
    const update = (lineId: string, quantity: number) => server.op(UpdateCartLineDocument, { siteId, lineId, quantity }, { cartToken });
    expect((await update(lines[1].id, 5)).data!.updateCartLine.userErrors).toEqual([]);
    expect((await update(lines[2].id, 0)).data!.updateCartLine.userErrors).toEqual([]);
    // A removed line frees its place.
    expect((await addLines(server, siteId, cartToken, [productIds[CART_LINES]]))[0].userErrors).toEqual([]);
  });

  it("refuses the probe's 15-alias query of a full cart by its cost, spending under 50 ms of the server's CPU", async () => {
    const one = await server.op(CartDocument, { siteId }, { cartToken: fullCart });
    expect(one.data!.cart!.lines).toHaveLength(CART_LINES);
    // Measured from a quiet process: V8's helper threads (concurrent marking, compilation) may still be working off
    // what the cart's filling left, and that is not the probe's work.
    await quiet(server.pid);
    const before = cpuMs(server.pid);
    const probe = await server.gql(PROBE(), {}, { cartToken: fullCart });
    const spent = cpuMs(server.pid) - before;
    expect(probe.status).toBe(400);
    expect(probe.data).toBeUndefined();
    expect(probe.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(probe.errors?.[0].message).toMatch(/Cost limit of 5000 exceeded, found 16545/);
    expect(spent).toBeLessThan(50);
  });

  it('answers /healthz in under 50 ms (median) while three clients loop that query', async () => {
    const load = threeClients(server.url, PROBE(), { 'x-cart-token': fullCart }, { times: 30, withinMs: 10_000 });
    let running = true;
    void load.finally(() => (running = false));
    const latencies: number[] = [];
    while (running) {
      const at = performance.now();
      await (await fetch(`${server.url}/healthz`)).text();
      latencies.push(performance.now() - at);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await load).toBe(3 * 30);
    expect(latencies.length).toBeGreaterThan(10);
    // Percentiles, not the slowest sample: on a loaded test machine (2 cores, other suites running) the OS stalls some
    // samples with no load at all. Alone here: median 3-5 ms, 90th 12-19 ms. Before: median 11, 90th 423, max 1,105 ms.
    const at = (f: number) => [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * f)];
    expect(at(0.5)).toBeLessThan(50);
    expect(at(0.9)).toBeLessThan(150);
  });

  it('answers a response over 2 MB with a small RESPONSE_TOO_LARGE error, and logs it', async () => {
    const token = await server.superToken();
    const [created] = await aliased(
      server,
      1,
      () => `createContentItem(siteId: "${siteId}", input: { slug: "big", title: "Big", body: "${BODY}" }) { contentItem { id } }`,
      { token },
    );
    const itemId = created.contentItem.id;
    await aliased(
      server,
      1,
      () => `reviseContent(siteId: "${siteId}", contentItemId: "${itemId}", body: "${BODY}") { userErrors { code } }`,
      { token },
    );
    const bodies = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `i${i}: contentItem(siteId: "${siteId}", id: "${itemId}") { versions(first: 2) { body } }`).join(' ')} }`;

    // 5 x 2 bodies of 100,000 characters: about 1 MB, sent.
    const within = await server.gql(bodies(5), {}, { token });
    expect([within.status, within.errors, within.data.i4.versions.length]).toEqual([200, undefined, 2]);

    // 15 x 2 bodies: about 3 MB, within the cost (15 x 204) but over the response limit.
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: bodies(15) }),
    });
    const text = await res.text();
    expect(text.length).toBeLessThan(1000);
    const answer = JSON.parse(text);
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([
      {
        message: expect.stringMatching(/exceeds the limit of 2097152 bytes/),
        extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: RESPONSE_BYTES },
      },
    ]);
    await until(() => /graphql response too large/.test(server.output()));
  });
});

describe('content lists are paged and their bodies weigh (issue "Bounded work per request")', () => {
  let siteId: string;
  let token: string;
  let itemIds: string[];
  let bigItem: string;
  const gql = (query: string) => t.gql(query, {}, { token });

  beforeAll(async () => {
    siteId = await newSite(t);
    token = await t.superToken();
    const field = (i: number) =>
      `createContentItem(siteId: "${siteId}", input: { slug: "item-${i}", title: "Item ${i}", body: "Body ${i}" }) { contentItem { id } }`;
    itemIds = (await aliased(t, PAGE.max + 1, field, { token })).map((p) => p.contentItem.id);
    // The first item gets 101 versions; the last one 5 bodies of 100,000 characters.
    await aliased(
      t,
      PAGE.max,
      (i) => `reviseContent(siteId: "${siteId}", contentItemId: "${itemIds[0]}", body: "Revision ${i}") { userErrors { code } }`,
      { token },
    );
    bigItem = itemIds[PAGE.max];
    for (let i = 0; i < 5; i++)
      await aliased(
        t,
        1,
        () => `reviseContent(siteId: "${siteId}", contentItemId: "${bigItem}", body: "${BODY}") { userErrors { code } }`,
        { token },
      );
    await ownerSql(
      t.dbUrl,
      `insert into suggestions (id, site_id, content_item_id, status, instruction, body, base_version, model, created_at)
       select gen_random_uuid(), $1, $2, 'PENDING_REVIEW', 'Shorter', 'Suggested ' || n, 1, 'test-model', date_trunc('milliseconds', now()) + n * interval '1 ms'
         from generate_series(1, 101) n`,
      [siteId, itemIds[1]],
    );
  }, 120_000);

  it('refuses contentItems { versions { body } } up front by its cost', async () => {
    const all = await gql(`{ contentItems(siteId: "${siteId}") { versions { body } } }`);
    expect(all.status).toBe(400);
    expect(all.data).toBeUndefined();
    expect(all.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(all.errors?.[0].message).toMatch(/Cost limit of 5000 exceeded/);
    // What the cost allows is what runs: 2 items x 2 bodies.
    const few = await gql(
      `{ contentItems(siteId: "${siteId}", first: 2, after: "${itemIds[PAGE.max - 2]}") { id versions(first: 2) { number body } } }`,
    );
    expect(few.errors).toBeUndefined();
    expect(few.data.contentItems.map((i: { id: string }) => i.id)).toEqual([itemIds[PAGE.max - 1], bigItem]);
    expect(few.data.contentItems[1].versions.map((v: { number: number; body: string }) => [v.number, v.body.length])).toEqual([
      [1, 'Body 100'.length],
      [2, 100_000],
    ]);
  });

  it('pages contentItems oldest first by first/after, 20 by default and at most 100', async () => {
    const ids = async (args: string) =>
      (await gql(`{ contentItems(siteId: "${siteId}"${args}) { id } }`)).data.contentItems.map((i: { id: string }) => i.id);
    expect(await ids('')).toEqual(itemIds.slice(0, PAGE.default));
    expect(await ids(', first: 100000')).toEqual(itemIds.slice(0, PAGE.max));
    expect(await ids(`, first: 3, after: "${itemIds[2]}"`)).toEqual(itemIds.slice(3, 6));
    expect(await ids(`, first: 0`)).toEqual(itemIds.slice(0, 1));
    expect(await ids(`, after: "${itemIds[PAGE.max]}"`)).toEqual([]);
    expect(await ids(`, after: "0190c0de-0000-7000-8000-000000000000"`)).toEqual([]);
    expect(await ids(`, after: "not-an-id"`)).toEqual([]);
  });

  it("pages an item's versions by first/after (a version number), 20 by default and at most 100", async () => {
    const numbers = async (args: string) =>
      (await gql(`{ contentItem(siteId: "${siteId}", id: "${itemIds[0]}") { versions${args} { number } } }`)).data.contentItem.versions.map(
        (v: { number: number }) => v.number,
      );
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(await numbers('')).toEqual(upTo(PAGE.default));
    expect(await numbers('(first: 100000)')).toEqual(upTo(PAGE.max));
    expect(await numbers('(first: 2, after: 99)')).toEqual([100, 101]);
    expect(await numbers('(after: 101)')).toEqual([]);

    const list = await gql(`{ contentItems(siteId: "${siteId}", first: 100) { id versions(first: 1) { number } } }`);
    expect(list.data.contentItems).toHaveLength(PAGE.max);
    expect(list.data.contentItems.every((i: { versions: unknown[] }) => i.versions.length === 1)).toBe(true);
  });

  it('pages suggestions oldest first by first/after, 20 by default and at most 100', async () => {
    const bodies = async (args: string) =>
      (await gql(`{ suggestions(siteId: "${siteId}"${args}) { id body } }`)).data.suggestions as { id: string; body: string }[];
    expect((await bodies('')).map((s) => s.body)).toEqual(Array.from({ length: PAGE.default }, (_, i) => `Suggested ${i + 1}`));
    expect((await gql(`{ suggestions(siteId: "${siteId}", first: 100000) { id } }`)).data.suggestions).toHaveLength(PAGE.max);
    const [, second] = await bodies(', first: 2');
    expect((await bodies(`, first: 2, after: "${second.id}"`)).map((s) => s.body)).toEqual(['Suggested 3', 'Suggested 4']);
    expect(await bodies(`, contentItemId: "${itemIds[2]}"`)).toEqual([]);
  });
});
