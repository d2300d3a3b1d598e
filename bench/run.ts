/**
 * `npm run bench [-- --shoppers 32 --seconds 20 --aux-seconds 10 --products 20 --profile]`
 * Measures the built server (dist/server.js, spawned) under concurrent shoppers; see bench/README.md.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStripeSandbox, type StripeSandbox } from '../src/integrations/stripe/sandbox';
import { activitySampler, type BackendActivity } from './activity';
import { openBenchDatabase, sql, type BenchDatabase } from './database';
import { DIST, ROOT } from './dist';
import { fillAndCheckout, forSeconds, gqlProblem, payWebhook, Q, type Shop } from './flows';
import { HttpClient } from './http';
import {
  backendSeconds,
  cpuShare,
  cpuSnapshot,
  freePort,
  postgresProcesses,
  postmasterPid,
  spawnNode,
  type Child,
  type CpuShare,
} from './processes';
import { printProfile, summariseProfile, type ProfileSummary } from './profile';
import { table, withRatios, type OperationResult } from './report';
import {
  countStatements,
  inProcessCounter,
  pgStatCounter,
  statementTimer,
  type StatementCount,
  type StatementCounter,
  type StatementTimes,
} from './statements';
import { Recorder, round, summarise, type OpStats } from './stats';
import { verify, type Verification } from './verify';
import { BENCH_STOCK } from './verify-stock';
import { preload, type PreloadResult } from './preload';
import { startCountingProvider, type CountingProvider } from './counting-provider';

interface Args {
  shoppers: number;
  seconds: number;
  auxSeconds: number;
  products: number;
  profile: boolean;
  workers: number;
  /** Orders written before the phases (0: an empty database), across `preloadSites` sites. */
  preloadOrders: number;
  preloadSites: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number) => {
    const raw = get(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
    return n;
  };
  const seconds = num('seconds', 20);
  return {
    shoppers: Math.round(num('shoppers', 32)),
    seconds,
    auxSeconds: num('aux-seconds', Math.max(3, Math.round(seconds / 2))),
    products: Math.max(2, Math.round(num('products', 20))),
    profile: argv.includes('--profile'),
    /** Server processes (WEB_CONCURRENCY). */
    workers: Math.round(num('workers', 1)),
    // `--preload` alone: a million orders across 100 sites; `--preload-orders N` for another size.
    preloadOrders: argv.includes('--preload') || get('preload-orders') ? Math.round(num('preload-orders', 1_000_000)) : 0,
    preloadSites: Math.round(num('preload-sites', 100)),
  };
}

const SUPER_ADMIN = { email: 'bench@aegis.local', password: 'bench-super-admin-password' };
const WEBHOOK_SECRET = 'whsec_aegis_bench_secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);

/** Seeds through the API, as an operator would: super admin login, a site, a catalogue. */
async function seed(client: HttpClient, products: number): Promise<{ siteId: string; productIds: string[]; token: string }> {
  const login = await client.gql(`mutation($e:String!,$p:String!){ adminLogin(email:$e,password:$p){ token userErrors{ code } } }`, {
    e: SUPER_ADMIN.email,
    p: SUPER_ADMIN.password,
  });
  const token = login.body?.data?.adminLogin?.token;
  if (!token) throw new Error(`super admin login failed: ${JSON.stringify(login.body)}`);
  const auth = { authorization: `Bearer ${token}` };
  const site = await client.gql(
    `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ id } userErrors{ code message } } }`,
    { i: { name: 'Bench Shop', currency: 'EUR' } },
    auth,
  );
  const siteId = site.body?.data?.createSite?.site?.id;
  if (!siteId) throw new Error(`createSite failed: ${JSON.stringify(site.body)}`);
  const productIds: string[] = [];
  for (let i = 0; i < products; i++) {
    const r = await client.gql(
      `mutation($s:ID!,$i:CreateProductInput!){ createProduct(siteId:$s,input:$i){ product{ id } userErrors{ code message } } }`,
      { s: siteId, i: { sku: `BENCH-${i + 1}`, name: `Bench product ${i + 1}`, priceMinor: 500 + ((i * 731) % 4500) } },
      auth,
    );
    const id = r.body?.data?.createProduct?.product?.id;
    if (!id) throw new Error(`createProduct failed: ${JSON.stringify(r.body)}`);
    // Tracked, with more than the run can sell: every checkout reserves and every confirmation sells (bench/verify-stock.ts).
    const stocked = await client.gql(
      `mutation($s:ID!,$p:ID!,$n:Int){ setStock(siteId:$s,productId:$p,stockOnHand:$n,reason:"bench"){ product{ id } userErrors{ code message } } }`,
      { s: siteId, p: id, n: BENCH_STOCK },
      auth,
    );
    if (!stocked.body?.data?.setStock?.product) throw new Error(`setStock failed: ${JSON.stringify(stocked.body)}`);
    productIds.push(id);
  }
  return { siteId, productIds, token };
}

/** A second site, AI off (the default), with one content item: what the advisory-disabled phase asks about. */
async function seedAdvisoryOff(client: HttpClient, token: string): Promise<{ siteId: string; contentItemId: string }> {
  const auth = { authorization: `Bearer ${token}` };
  const site = await client.gql(
    `mutation($i:CreateSiteInput!){ createSite(input:$i){ site{ id aiEnabled } userErrors{ code } } }`,
    {
      i: { name: 'Bench advisory off', currency: 'EUR' },
    },
    auth,
  );
  const s = site.body?.data?.createSite?.site;
  if (!s || s.aiEnabled !== false) throw new Error(`createSite (AI off) failed: ${JSON.stringify(site.body)}`);
  const item = await client.gql(
    `mutation($s:ID!,$i:CreateContentItemInput!){ createContentItem(siteId:$s,input:$i){ contentItem{ id } userErrors{ code message } } }`,
    { s: s.id, i: { slug: 'about', title: 'About us', body: 'We sell mugs.' } },
    auth,
  );
  const contentItemId = item.body?.data?.createContentItem?.contentItem?.id;
  if (!contentItemId) throw new Error(`createContentItem failed: ${JSON.stringify(item.body)}`);
  return { siteId: s.id, contentItemId };
}

/** Runs every operation once, alone, and counts the SQL the server sends for it. */
async function calibrate(
  counter: StatementCounter,
  shop: Shop,
  advisory: { siteId: string; contentItemId: string; token: string },
): Promise<{ byOp: Record<string, StatementCount>; confirmed: number }> {
  const byOp: Record<string, StatementCount> = {};
  class Counting extends Recorder {
    override async time<T>(op: string, run: () => Promise<T>, check: (r: T) => string | null): Promise<T | null> {
      await counter.reset();
      const reply = await super.time(op, run, check);
      await sleep(20);
      const count = countStatements(await counter.read());
      // addToCart runs twice (a new line each time): keep the larger count.
      if (!byOp[op] || count.total > byOp[op].total) byOp[op] = count;
      return reply;
    }
  }
  const rec = new Counting();
  const client = shop.client;
  await rec.time(
    'trivialQuery',
    () => client.gql(Q.trivial),
    (r) => (r.body?.data?.__typename === 'Query' ? null : JSON.stringify(r.body)),
  );
  await rec.time(
    'products',
    () => client.gql(Q.products, { s: shop.siteId }),
    (r) => gqlProblem(r, 'products'),
  );
  const lean = await rec.time(
    'createCart',
    () => client.gql(Q.createCart, { s: shop.siteId }),
    (r) => gqlProblem(r, 'createCart'),
  );
  const leanToken = lean?.body.data.createCart.cartToken;
  await rec.time(
    'addToCart:commandOnly',
    () => client.gql(Q.addToCartLean, { s: shop.siteId, p: shop.productIds[0], q: 1 }, { 'x-cart-token': leanToken }),
    (r) => gqlProblem(r, 'addToCart'),
  );
  const order = await fillAndCheckout(shop, rec);
  const confirmed = order ? await payWebhook(shop, rec, order.intentId) : false;
  if (order)
    await rec.time(
      'cart',
      () => client.gql(Q.cart, { s: shop.siteId }, { 'x-cart-token': order.cartToken }),
      (r) => gqlProblem(r, 'cart', (c) => c.state === 'CONFIRMED'),
    );
  await rec.time(
    'requestSuggestion',
    () =>
      client.gql(
        Q.requestSuggestion,
        { s: advisory.siteId, c: advisory.contentItemId, i: 'Make it shorter' },
        { authorization: `Bearer ${advisory.token}` },
      ),
    (r) => (r.body?.data?.requestSuggestion?.userErrors?.[0]?.code === 'AI_DISABLED' ? null : JSON.stringify(r.body)),
  );
  if (rec.errorCount()) throw new Error(`calibration failed: ${rec.samples.join('; ')}`);
  return { byOp, confirmed: confirmed ? 1 : 0 };
}

/** Sends webhooks for prepared intents until they run out or the time is up. */
async function drain(concurrency: number, seconds: number, items: string[], work: (item: string) => Promise<void>): Promise<number> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length && performance.now() < deadline) await work(items[next++]);
    }),
  );
  return (performance.now() - start) / 1000;
}

function newestProfile(dir: string): string | null {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(dir, f));
    return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
  } catch {
    return null;
  }
}

/** Everything started, stopped in reverse order on success, failure, timeout or Ctrl-C. */
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c().catch((err) => log(`cleanup: ${(err as Error).message}`));
  cleanups.length = 0;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const budgetMs = (240 + args.seconds + 5 * args.auxSeconds + (args.preloadOrders > 0 ? 900 : 0)) * 1000;
  const watchdog = setTimeout(() => {
    log(`FAILED: the run exceeded its ${budgetMs / 1000} s budget`);
    void cleanup().finally(() => process.exit(1));
  }, budgetMs);
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  const started = new Date();
  const git = (cmd: string) => {
    try {
      return execSync(`git ${cmd}`, { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim();
    } catch {
      return 'unknown';
    }
  };
  const source = { commit: git('rev-parse HEAD'), changedSrcFiles: git('status --porcelain -- src').split('\n').filter(Boolean).length };
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(ROOT, 'bench/results');
  const profileDir = path.join(ROOT, '.data/bench-profiles');
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(profileDir, { recursive: true });

  log(
    `server processes ${args.workers}, shoppers ${args.shoppers}, purchase ${args.seconds} s, other phases ${args.auxSeconds} s each${args.profile ? ', server under --cpu-prof' : ''}`,
  );
  const db: BenchDatabase = await openBenchDatabase(ROOT);
  cleanups.push(() => db.close());
  log(`database: ${db.kind}, fresh database aegis_bench, fsync ${db.fsync}, pg_stat_statements ${db.statStatements ? 'on' : 'not loaded'}`);
  const stripe: StripeSandbox = await startStripeSandbox();
  cleanups.push(() => stripe.close());
  const provider: CountingProvider = await startCountingProvider();
  cleanups.push(() => provider.close());

  const serverEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    DATA_DIR: path.join(ROOT, '.data/bench-server'),
    STRIPE_API_BASE: stripe.url,
    STRIPE_SECRET_KEY: 'sk_test_aegis_bench',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OPENAI_BASE_URL: provider.url,
    OPENAI_API_KEY: 'sk-bench',
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    SUPER_ADMIN_EMAIL: SUPER_ADMIN.email,
    SUPER_ADMIN_PASSWORD: SUPER_ADMIN.password,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
    WEB_CONCURRENCY: String(args.workers),
    // The 32 virtual shoppers share one address: a per-client cart limit would throttle the load generator.
    CART_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const serverLog = path.join(ROOT, '.data/bench-server.log');
  const serverPort = await freePort();
  const server: Child = await spawnNode({
    args: [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), path.join(DIST, 'server.js')],
    env: { ...serverEnv, PORT: String(serverPort) },
    port: serverPort,
    logFile: serverLog,
    readyPath: '/readyz',
    timeoutMs: 60_000,
  });
  cleanups.push(() => server.stop());
  log(`server ${server.url} (pid ${server.pid}, log ${path.relative(ROOT, serverLog)})`);

  // Other sites' history first, as a long-running installation would hold it (bench/preload.ts).
  let preloaded: PreloadResult | null = null;
  if (args.preloadOrders > 0) {
    log(`preloading ${args.preloadOrders} orders across ${args.preloadSites} sites`);
    preloaded = await preload(db.url, {
      sites: args.preloadSites,
      ordersPerSite: Math.ceil(args.preloadOrders / args.preloadSites),
      log,
    });
    log(`preloaded ${JSON.stringify(preloaded)}`);
  }

  const client = new HttpClient(server.url, args.shoppers + 8);
  cleanups.push(async () => client.close());
  const catalogue = await seed(client, args.products);
  const shop: Shop = { client, ...catalogue, stripe, webhookSecret: WEBHOOK_SECRET };
  log(`seeded site ${catalogue.siteId} with ${catalogue.productIds.length} products`);
  const advisoryOff = await seedAdvisoryOff(client, catalogue.token);

  // SQL per operation, each operation alone.
  const counter = db.statStatements ? await pgStatCounter(db.url, server.url) : await inProcessCounter({ ...serverEnv, LOG_LEVEL: 'warn' });
  const calClient = counter.url === server.url ? client : new HttpClient(counter.url, 4);
  const calibration = await calibrate(counter, { ...shop, client: calClient }, { ...advisoryOff, token: catalogue.token });
  if (calClient !== client) calClient.close();
  await counter.close();
  log(`SQL per operation counted with ${counter.source}`);

  const pgPid = db.kind === 'embedded' ? postmasterPid(path.join(ROOT, '.data/bench-pg')) : null;
  const cpu: Record<string, CpuShare> = {};
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const before = cpuSnapshot(server.pid, pgPid);
    const out = await run();
    cpu[name] = cpuShare(before, cpuSnapshot(server.pid, pgPid));
    log(
      `${name}: done (CPU % of one core: server ${cpu[name].serverPct}, postgres ${cpu[name].postgresPct ?? '?'}, bench ${cpu[name].benchPct}, others ${cpu[name].otherPct ?? '?'}; machine ${cpu[name].machineBusyPct} of ${cpu[name].cores * 100})`,
    );
    return out;
  };

  // Baseline 1: a trivial query through the whole stack (Express, Apollo, armor, shield), no database.
  const trivialRec = new Recorder();
  const trivialSecs = await phase('trivialQuery', () =>
    forSeconds(args.shoppers, args.auxSeconds, async () => {
      await trivialRec.time(
        'trivialQuery',
        () => client.gql(Q.trivial),
        (r) => (r.status === 200 && r.body?.data?.__typename === 'Query' ? null : `HTTP ${r.status}: ${JSON.stringify(r.body)}`),
      );
    }),
  );

  // The seed's "zero latency cost": requestSuggestion on a site with AI off, right after the trivial baseline.
  // It must answer AI_DISABLED, call no provider and write no row; both are counted around the phase.
  const rowsOf = async () =>
    (
      await sql<{ n: string }>(
        db.url,
        `select (select count(*) from suggestions where site_id = $1) + (select count(*) from audit_log where site_id = $1) as n`,
        [advisoryOff.siteId],
      )
    )[0].n;
  const offRec = new Recorder();
  const offBefore = { calls: provider.calls, rows: await rowsOf() };
  const offSecs = await phase('advisoryDisabled', () =>
    forSeconds(args.shoppers, args.auxSeconds, async () => {
      await offRec.time(
        'requestSuggestion',
        () =>
          client.gql(
            Q.requestSuggestion,
            { s: advisoryOff.siteId, c: advisoryOff.contentItemId, i: 'Make it shorter' },
            { authorization: `Bearer ${catalogue.token}` },
          ),
        (r) => {
          const e = r.body?.data?.requestSuggestion?.userErrors;
          return r.status === 200 && e?.length === 1 && e[0].code === 'AI_DISABLED' ? null : `HTTP ${r.status}: ${JSON.stringify(r.body)}`;
        },
      );
    }),
  );
  const advisoryCost = {
    providerCalls: provider.calls - offBefore.calls,
    rowsWritten: Number(await rowsOf()) - Number(offBefore.rows),
  };

  // Baseline 2: one INSERT transaction per HTTP request, same database, same role, same pool size.
  await sql(
    db.url,
    `create table if not exists bench_raw_insert (id uuid primary key, at timestamptz not null, payload text not null); grant insert on bench_raw_insert to aegis_app`,
  );
  // The server's own request role (the owner keeps its name and password): the same role as the server's work.
  const [role] = await sql<{ role_name: string; password: string }>(db.url, `select role_name, password from aegis_owner.request_role`);
  const requestUrl = Object.assign(new URL(db.url), { username: role.role_name, password: role.password }).toString();
  const rawPort = await freePort();
  const raw = await spawnNode({
    args: [path.join(__dirname, 'raw-insert-server.js')],
    env: { PATH: process.env.PATH, PG_URL: requestUrl, POOL_MAX: '20', PORT: String(rawPort) },
    port: rawPort,
    logFile: path.join(ROOT, '.data/bench-raw-insert.log'),
    readyPath: '/healthz',
    timeoutMs: 20_000,
  });
  cleanups.push(() => raw.stop());
  const rawClient = new HttpClient(raw.url, args.shoppers + 8);
  const rawRec = new Recorder();
  const rawCpuBefore = cpuSnapshot(raw.pid, pgPid);
  const rawSecs = await forSeconds(args.shoppers, args.auxSeconds, async () => {
    await rawRec.time(
      'rawInsert',
      () => rawClient.post('/insert', '{"order":"bench"}'),
      (r) => (r.status === 200 ? null : `HTTP ${r.status}: ${JSON.stringify(r.body)}`),
    );
  });
  cpu.rawInsert = cpuShare(rawCpuBefore, cpuSnapshot(raw.pid, pgPid));
  log(
    `rawInsert: done (CPU % of one core: raw server ${cpu.rawInsert.serverPct}, postgres ${cpu.rawInsert.postgresPct ?? '?'}, bench ${cpu.rawInsert.benchPct})`,
  );
  rawClient.close();
  await raw.stop();

  // The purchase: every shopper loops createCart, addToCart x2, setCheckoutDetails, checkout, webhook.
  const buyRec = new Recorder();
  let confirmed = calibration.confirmed;
  let purchaseConfirmed = 0;
  const confirmedCarts: string[] = [];
  // Where PostgreSQL's CPU of the purchase goes: its backends' against the rest, and the statements' plan and
  // execution time (one reset before the phase and one read after: nothing during it).
  const timer = db.statStatements ? await statementTimer(db.url) : null;
  await timer?.reset();
  const database = new URL(db.url).pathname.slice(1);
  const pgBefore = pgPid === null ? null : postgresProcesses(pgPid, database);
  const sampler = await activitySampler(db.url);
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const purchaseWindow = { fromUs: nowUs(), toUs: 0 };
  const purchaseSecs = await phase('purchase', () =>
    forSeconds(args.shoppers, args.seconds, async () => {
      const order = await fillAndCheckout(shop, buyRec);
      if (order && (await payWebhook(shop, buyRec, order.intentId))) {
        purchaseConfirmed++;
        if (confirmedCarts.length < 5000) confirmedCarts.push(order.cartToken);
      }
    }),
  );
  purchaseWindow.toUs = nowUs();
  const pgAfter = pgPid === null ? null : postgresProcesses(pgPid, database);
  const activity: BackendActivity = await sampler.stop();
  const purchaseStatements: StatementTimes | null = (await timer?.read(8)) ?? null;
  await timer?.close();
  confirmed += purchaseConfirmed;
  /** A figure of the purchase phase (milliseconds, statements) per order it confirmed. */
  const perOrder = (ms: number, digits = 2) => round(ms / Math.max(1, purchaseConfirmed), digits);

  // Read mix: half catalogue pages, half carts (CONFIRMED orders with lines, attempts and history).
  const readRec = new Recorder();
  const readSecs = await phase('readMix', () =>
    forSeconds(args.shoppers, args.auxSeconds, async () => {
      if (Math.random() < 0.5 || !confirmedCarts.length) {
        await readRec.time(
          'products',
          () => client.gql(Q.products, { s: shop.siteId }),
          (r) => gqlProblem(r, 'products', (p) => p.edges.length > 0),
        );
      } else {
        const token = confirmedCarts[Math.floor(Math.random() * confirmedCarts.length)];
        await readRec.time(
          'cart',
          () => client.gql(Q.cart, { s: shop.siteId }, { 'x-cart-token': token }),
          (r) => gqlProblem(r, 'cart', (c) => c.state === 'CONFIRMED'),
        );
      }
    }),
  );

  // Webhook-only: orders checked out beforehand (not timed), then only their payment_intent.succeeded events.
  const prepRec = new Recorder();
  const pending: string[] = [];
  await forSeconds(args.shoppers, args.auxSeconds, async () => {
    const order = await fillAndCheckout(shop, prepRec);
    if (order) pending.push(order.intentId);
  });
  const hookRec = new Recorder();
  let hookConfirmed = 0;
  const hookSecs = await phase('webhookOnly', () =>
    drain(args.shoppers, args.auxSeconds, pending, async (intentId) => {
      if (await payWebhook(shop, hookRec, intentId)) hookConfirmed++;
    }),
  );
  confirmed += hookConfirmed;

  const serverPeakRssMb = round(server.peakRssMb(), 1);
  const verification: Verification = await verify(db.url, { confirmed, siteIds: [catalogue.siteId, advisoryOff.siteId] });
  // Our keep-alive sockets would hold the server's graceful close (and so its CPU profile) open.
  client.close();
  const stopStart = performance.now();
  // The server takes ~30 s to exit on SIGTERM (see the report); only a profiled run needs its clean exit.
  await server.stop(args.profile ? 60_000 : 5_000);
  log(`server stopped in ${Math.round(performance.now() - stopStart)} ms`);
  let profile: ProfileSummary | null = null;
  // The purchase phase alone, per confirmed order: where the server's milliseconds of an order go.
  let purchaseProfile: (ProfileSummary & { perOrder: { busyMs: number; selfByPackage: { name: string; ms: number }[] } }) | null = null;
  if (args.profile) {
    const file = newestProfile(profileDir);
    profile = file ? summariseProfile(file, 40) : null;
    const p = file ? summariseProfile(file, 40, purchaseWindow) : null;
    purchaseProfile = p && {
      ...p,
      perOrder: { busyMs: perOrder(p.busyMs), selfByPackage: p.selfByPackage.map((r) => ({ name: r.name, ms: perOrder(r.ms) })) },
    };
  }

  // Figures.
  const trivial = summarise(trivialRec, 'trivialQuery', trivialSecs);
  const rawInsert = summarise(rawRec, 'rawInsert', rawSecs);
  const sqlOf = calibration.byOp;
  const op = (rec: Recorder, name: string, secs: number, sqlName = name): OperationResult =>
    withRatios(summarise(rec, name, secs), sqlOf[sqlName], trivial, rawInsert);
  const operations: Record<string, OperationResult> = {
    createCart: op(buyRec, 'createCart', purchaseSecs),
    addToCart: op(buyRec, 'addToCart', purchaseSecs),
    setCheckoutDetails: op(buyRec, 'setCheckoutDetails', purchaseSecs),
    checkout: op(buyRec, 'checkout', purchaseSecs),
    webhook: op(buyRec, 'webhook', purchaseSecs),
    products: op(readRec, 'products', readSecs),
    cart: op(readRec, 'cart', readSecs),
    webhookOnly: op(hookRec, 'webhook', hookSecs),
    advisoryDisabled: op(offRec, 'requestSuggestion', offSecs),
  };
  const advisory = operations.advisoryDisabled;
  const advisoryDisabled = {
    ...advisoryCost,
    // Server CPU per request, this phase against the trivial query's (steadier than latency on a shared machine).
    serverCpuMsPerRequest: round(
      (cpu.advisoryDisabled.serverSeconds * 1000) / Math.max(1, offRec.latencies.get('requestSuggestion')?.length ?? 0),
      3,
    ),
    trivialServerCpuMsPerRequest: round(
      (cpu.trivialQuery.serverSeconds * 1000) / Math.max(1, trivialRec.latencies.get('trivialQuery')?.length ?? 0),
      3,
    ),
    p50VsTrivial: round(advisory.p50Ms / trivial.p50Ms, 2),
    p99VsTrivial: round(advisory.p99Ms / trivial.p99Ms, 2),
  };
  // CPU per confirmed order in the purchase phase: every request of the order (cart, lines, details, checkout,
  // webhook) and whatever else the server and PostgreSQL did meanwhile.
  const perOrderMs = (secs: number | null) => (secs === null || !purchaseConfirmed ? null : perOrder(secs * 1000));
  const cpuPerConfirmedOrder = { serverMs: perOrderMs(cpu.purchase.serverSeconds), postgresMs: perOrderMs(cpu.purchase.postgresSeconds) };
  const backendsSecs = pgBefore && pgAfter ? backendSeconds(pgBefore, pgAfter) : null;
  // PostgreSQL's CPU per order, taken apart: the backends serving the server, and the other processes (the phase's
  // total less the backends', two readings of /proc at slightly different instants in 10 ms clock ticks: near zero,
  // it can come out a little negative on a short run). Beside it the statements' planning and execution as
  // pg_stat_statements times them: wall time, execution with its lock waits.
  const postgresPerConfirmedOrder = {
    cpuMs: cpuPerConfirmedOrder.postgresMs,
    backendsMs: perOrderMs(backendsSecs),
    otherProcessesMs: perOrderMs(
      backendsSecs === null || cpu.purchase.postgresSeconds === null ? null : cpu.purchase.postgresSeconds - backendsSecs,
    ),
    statements: purchaseStatements ? perOrder(purchaseStatements.calls, 3) : null,
    planMs: purchaseStatements ? perOrder(purchaseStatements.planMs, 3) : null,
    execWallMs: purchaseStatements ? perOrder(purchaseStatements.execMs, 3) : null,
    // Backend-milliseconds per order in each state (the mean number of backends in it over the phase, sampled):
    // waiting for row locks, and idle in a transaction while the server prepares its next message.
    lockWaitMs: perOrder(activity.waitingForLock * purchaseSecs * 1000),
    idleInTransactionMs: perOrder(activity.idleInTransaction * purchaseSecs * 1000),
    activity,
    top: (purchaseStatements?.top ?? []).map((t) => ({
      query: t.query.slice(0, 160),
      perOrder: perOrder(t.calls, 3),
      planMs: perOrder(t.planMs, 3),
      execWallMs: perOrder(t.execMs, 3),
    })),
  };
  const purchaseRequests = [...buyRec.latencies.values()].reduce((n, l) => n + l.length, 0);
  const errors =
    offRec.errorCount() +
    trivialRec.errorCount() +
    rawRec.errorCount() +
    buyRec.errorCount() +
    readRec.errorCount() +
    prepRec.errorCount() +
    hookRec.errorCount();
  const errorSamples = [trivialRec, offRec, rawRec, buyRec, readRec, prepRec, hookRec].flatMap((r) => r.samples).slice(0, 20);
  const confirmedOrdersPerSec = round(purchaseConfirmed / purchaseSecs, 1);
  const baselineOf = (s: OpStats, name: string) => ({ ...s, sqlRoundTrips: sqlOf[name]?.total ?? (name === 'rawInsert' ? 3 : null) });
  const purchaseOps = ['createCart', 'addToCart', 'setCheckoutDetails', 'checkout', 'webhook'];
  const targets = {
    confirmedOrdersPerSecAtLeast100: confirmedOrdersPerSec >= 100,
    // Issue 15's targets, each from this run.
    serverCpuPerConfirmedOrderAtMost10Ms: (cpuPerConfirmedOrder.serverMs ?? Infinity) <= 10,
    postgresCpuPerConfirmedOrderAtMost6Ms: (cpuPerConfirmedOrder.postgresMs ?? Infinity) <= 6,
    confirmedOrdersAtLeast0_04xTrivial: confirmedOrdersPerSec >= 0.04 * trivial.rps,
    everyOperationP99Under150Ms: Object.values(operations).every((o) => o.p99Ms < 150),
    purchaseOperationsP99Under150Ms: purchaseOps.every((o) => operations[o].p99Ms < 150),
    advisoryDisabledWithin1_2xTrivialP50AndP99: advisoryDisabled.p50VsTrivial <= 1.2 && advisoryDisabled.p99VsTrivial <= 1.2,
    advisoryDisabledNoProviderCallNoRow: advisoryCost.providerCalls === 0 && advisoryCost.rowsWritten === 0,
    // 5 before stock, and the one set-based reservation statement (issue 13) whatever the lines.
    checkoutAtMost6Statements: (sqlOf.checkout?.counted ?? Infinity) <= 6,
    // The command with a lean selection (as test/perf/statements.test.ts counts it); the storefront's usual
    // selection (with lines) adds a read transaction, reported as operations.addToCart.sqlStatements.
    addToCartCommandAtMost5Statements: (sqlOf['addToCart:commandOnly']?.counted ?? Infinity) <= 5,
    addToCartWithLinesAtMost5Statements: (sqlOf.addToCart?.counted ?? Infinity) <= 5,
    addToCartP99Under100Ms: operations.addToCart.p99Ms < 100,
  };

  const result = {
    date: started.toISOString(),
    args,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, totalMemMb: Math.round(os.totalmem() / 2 ** 20) },
    source,
    database: db.kind,
    fsync: db.fsync,
    statementSource: counter.source,
    profiled: args.profile,
    confirmedOrdersPerSec,
    confirmedOrders: purchaseConfirmed,
    purchaseRequestsPerSec: round(purchaseRequests / purchaseSecs, 1),
    errors,
    errorSamples,
    operations,
    baselines: {
      trivialQueryRps: trivial.rps,
      rawInsertRps: rawInsert.rps,
      trivialQuery: baselineOf(trivial, 'trivialQuery'),
      rawInsert: baselineOf(rawInsert, 'rawInsert'),
    },
    ratios: {
      confirmedOrdersPerSec: {
        vsTrivial: round(confirmedOrdersPerSec / trivial.rps, 4),
        vsRawInsert: round(confirmedOrdersPerSec / rawInsert.rps, 4),
      },
      purchaseRequestsPerSec: {
        vsTrivial: round(purchaseRequests / purchaseSecs / trivial.rps, 3),
        vsRawInsert: round(purchaseRequests / purchaseSecs / rawInsert.rps, 3),
      },
    },
    preloaded,
    serverPeakRssMb,
    cpuPerConfirmedOrder,
    postgresPerConfirmedOrder,
    advisoryDisabled,
    cpu,
    phases: {
      advisoryDisabledSecs: round(offSecs),
      purchaseSecs: round(purchaseSecs),
      readSecs: round(readSecs),
      webhookOnlySecs: round(hookSecs),
      webhookOnlyPrepared: pending.length,
      trivialSecs: round(trivialSecs),
      rawSecs: round(rawSecs),
    },
    sql: Object.fromEntries(
      Object.entries(sqlOf).map(([k, v]) => [
        k,
        { counted: v.counted, roundTrips: v.total, transactions: v.transactions, statements: v.statements },
      ]),
    ),
    verification,
    targets,
    profile,
    purchaseProfile,
  };
  const file = path.join(resultsDir, `${stamp}${args.preloadOrders ? '-preload' : ''}${args.profile ? '-profile' : ''}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');

  const out: string[] = [''];
  out.push(
    table([
      ...Object.entries(operations),
      ['baseline trivialQuery', { ...baselineOf(trivial, 'trivialQuery'), sqlStatements: 0 }],
      ['baseline rawInsert', { ...baselineOf(rawInsert, 'rawInsert'), sqlStatements: 1, sqlTransactions: 1 }],
    ]),
  );
  out.push('');
  out.push(
    `confirmed orders/s      ${confirmedOrdersPerSec}  (${purchaseConfirmed} in ${round(purchaseSecs, 1)} s, ${args.shoppers} shoppers)  = ${result.ratios.confirmedOrdersPerSec.vsTrivial} x trivial rps, ${result.ratios.confirmedOrdersPerSec.vsRawInsert} x raw insert rps`,
  );
  out.push(
    `purchase requests/s     ${result.purchaseRequestsPerSec}  = ${result.ratios.purchaseRequestsPerSec.vsTrivial} x trivial, ${result.ratios.purchaseRequestsPerSec.vsRawInsert} x raw insert`,
  );
  out.push(
    `baselines               trivial query ${trivial.rps} rps (p50 ${trivial.p50Ms} ms), raw insert tx ${rawInsert.rps} rps (p50 ${rawInsert.p50Ms} ms)`,
  );
  out.push(
    `CPU per confirmed order server ${cpuPerConfirmedOrder.serverMs} ms, PostgreSQL ${cpuPerConfirmedOrder.postgresMs ?? '?'} ms (purchase phase)`,
  );
  out.push(
    `PostgreSQL per order    backends ${postgresPerConfirmedOrder.backendsMs ?? '?'} ms (planning ${postgresPerConfirmedOrder.planMs ?? '?'}, execution ${postgresPerConfirmedOrder.execWallMs ?? '?'} ms wall with lock waits, ${postgresPerConfirmedOrder.statements ?? '?'} statements), other processes ${postgresPerConfirmedOrder.otherProcessesMs ?? '?'} ms`,
  );
  out.push(
    `backends per order      waiting for locks ${postgresPerConfirmedOrder.lockWaitMs} ms, idle in transaction ${postgresPerConfirmedOrder.idleInTransactionMs} ms (mean backends running ${activity.running}, waiting ${activity.waitingForLock}, idle in tx ${activity.idleInTransaction}, ${activity.samples} samples)`,
  );
  out.push(
    `advisory disabled       p50 ${advisoryDisabled.p50VsTrivial} x trivial, p99 ${advisoryDisabled.p99VsTrivial} x trivial; provider calls ${advisoryCost.providerCalls}, rows written ${advisoryCost.rowsWritten}`,
  );
  out.push(`server peak RSS         ${serverPeakRssMb} MB`);
  out.push(`errors                  ${errors}${errorSamples.length ? `\n  ${errorSamples.join('\n  ')}` : ''}`);
  out.push(`webhook-only            ${pending.length} orders prepared, ${hookConfirmed} confirmed in ${round(hookSecs, 1)} s`);
  out.push(
    `CPU (% of one core)     ${Object.entries(cpu)
      .map(([k, c]) => `${k}: server ${c.serverPct} pg ${c.postgresPct ?? '?'} bench ${c.benchPct} other ${c.otherPct ?? '?'}`)
      .join(' | ')}`,
  );
  out.push(
    `SQL counted by          ${counter.source}  (SQL = statements without BEGIN/COMMIT/set_config; trips = round trips, each statement but a tenant setting sent with its BEGIN; tx = transactions)`,
  );
  out.push(
    `correctness             ${verification.orders} orders ${JSON.stringify(verification.byState)}, ${verification.auditTransitions} audited transitions: ${verification.problems.length ? 'FAILED' : 'ok'}`,
  );
  for (const p of verification.problems) out.push(`  ${p}`);
  out.push(
    `targets                 ${Object.entries(targets)
      .map(([k, v]) => `${k} ${v ? 'met' : 'NOT MET'}`)
      .join(', ')}`,
  );
  if (profile) out.push('', printProfile(profile));
  if (purchaseProfile) {
    out.push(
      '',
      `purchase phase only: ${purchaseProfile.perOrder.busyMs} ms busy per confirmed order (profiled); self time per order by package`,
      ...purchaseProfile.perOrder.selfByPackage.slice(0, 20).map((r) => `    ${String(r.ms).padStart(6)} ms  ${r.name}`),
      printProfile(purchaseProfile),
    );
  }
  out.push('', `results: ${path.relative(ROOT, file)}`);
  process.stdout.write(out.join('\n') + '\n');

  clearTimeout(watchdog);
  await cleanup();
  if (errors > 0 || verification.problems.length) {
    log(`FAILED: ${errors} errors, ${verification.problems.length} correctness problems`);
    process.exit(1);
  }
}

main().catch(async (err) => {
  process.stderr.write(`[bench] FAILED: ${(err as Error).stack ?? err}\n`);
  await cleanup();
  process.exit(1);
});
