import {
  CreateContentItemDocument,
  CreateSiteDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai';
import { addToCart, checkout, createCart, createProduct, pendingOrder, setDetails } from '../support/flows';
import { spawnOnFreshDatabase } from '../support/server-process';

const TOKEN = 'metrics-token-for-tests';
let t: TestAegis;

beforeAll(async () => {
  t = await startTestAegis({ aiTimeoutMs: 1000, env: { METRICS_TOKEN: TOKEN } });
});
afterAll(() => t.close());

async function scrape(authorization = `Bearer ${TOKEN}`) {
  const res = await fetch(`${t.aegis.url}/metrics`, { headers: { authorization } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The sum of the samples named `name` whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => has[k] === v)) sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

describe('GET /metrics', () => {
  it('refuses without the METRICS_TOKEN bearer token', async () => {
    expect((await scrape('')).status).toBe(401);
    expect((await scrape('Bearer wrong-token')).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('counts a purchase: HTTP routes, named operations, order moves, webhook outcomes and gateway calls', async () => {
    const order = await pendingOrder(t);
    const pi = t.stripe.succeed(order.intentId);
    const event = t.stripe.event('payment_intent.succeeded', pi);
    expect((await t.webhook(event)).body.outcome).toBe('confirmed');
    expect((await t.webhook(event)).body.outcome).toBe('duplicate');
    expect((await t.webhook(event, { signature: 't=1,v1=forged' })).status).toBe(400);

    // A second checkout whose PaymentIntent the gateway refuses.
    const productId = await createProduct(t, order.siteId, 'MUG', 850);
    const cart = await createCart(t, order.siteId);
    await addToCart(t, cart.cartToken, order.siteId, productId, 1);
    await setDetails(t, cart.cartToken, order.siteId);
    t.stripe.failNext({ method: 'POST', path: '/v1/payment_intents' });
    expect((await checkout(t, cart.cartToken, order.siteId)).data!.checkout.userErrors).toEqual([expect.objectContaining({ code: 'PAYMENT_GATEWAY_ERROR' })]);

    // Probes of the operation label: a name of our own, an error, a name too long to be a label, and no name at all
    // (the clients' documents, which the flows above send, all have a name).
    const named = await t.gql(`query ShopCatalogue($s: ID!) { products(siteId: $s) { edges { cursor } } }`, { s: order.siteId });
    expect(named.errors).toBeUndefined();
    await t.gql(`query WhoAmI { me { id } }`);
    await t.gql(`query ${'A'.repeat(65)} { __typename }`);
    for (let i = 0; i < 8; i++) await t.gql(`mutation($s: ID!) { createCart(siteId: $s) { cartToken } }`, { s: order.siteId });
    expect((await fetch(`${t.aegis.url}/no/such/path?id=42`)).status).toBe(404);

    const { text } = await scrape();
    // Process metrics, from prom-client's default collectors.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    const http = (labels: Record<string, string>) => sample(text, 'aegis_http_request_duration_seconds_count', labels);
    expect(http({ method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(8);
    expect(http({ method: 'POST', route: '/webhooks/stripe', status: '200' })).toBe(2);
    expect(http({ method: 'POST', route: '/webhooks/stripe', status: '400' })).toBe(1);
    expect(http({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('/no/such/path');

    const op = (labels: Record<string, string>) => sample(text, 'aegis_graphql_operation_duration_seconds_count', labels);
    expect(op({ operation: 'ShopCatalogue', type: 'query', outcome: 'ok' })).toBe(1);
    expect(op({ operation: 'WhoAmI', type: 'query', outcome: 'errors' })).toBe(1);
    expect(op({ operation: 'invalid', type: 'query', outcome: 'ok' })).toBe(1);
    expect(op({ operation: 'anonymous', type: 'mutation', outcome: 'ok' })).toBeGreaterThanOrEqual(8);
    expect(text).not.toContain('A'.repeat(65));

    const moves = (event: string, from: string, to: string) => sample(text, 'aegis_order_transitions_total', { event, from, to });
    expect(moves('checkout', 'DRAFT', 'PENDING_PAYMENT')).toBe(2);
    expect(moves('paymentAuthorized', 'PENDING_PAYMENT', 'PAYMENT_AUTHORIZED')).toBe(1);
    expect(moves('confirm', 'PAYMENT_AUTHORIZED', 'CONFIRMED')).toBe(1);

    const hooks = (outcome: string) => sample(text, 'aegis_webhook_events_total', { outcome });
    expect([hooks('applied'), hooks('duplicate'), hooks('signature_rejected'), hooks('failed')]).toEqual([1, 1, 1, undefined]);

    expect(sample(text, 'aegis_gateway_calls_total', { operation: 'create_intent', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'aegis_gateway_calls_total', { operation: 'create_intent', outcome: 'error' })).toBe(1);
    expect(sample(text, 'aegis_gateway_call_duration_seconds_count', { operation: 'create_intent' })).toBe(2);
    expect(sample(text, 'aegis_alerts_total', { kind: 'webhook_signature_rejected' })).toBe(1);
  });
});

// The built server, because under jest the SDK does not recognise its own timeout's abort (another realm's DOMException)
// and reports a connection error: in Node it is APIConnectionTimeoutError.
describe('GET /metrics of the built server, without METRICS_TOKEN', () => {
  let openai: FakeOpenAI;
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  beforeAll(async () => {
    openai = await startFakeOpenAI();
    env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off', OPENAI_BASE_URL: openai.url, AI_TIMEOUT_MS: '1000' });
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    await openai?.close();
  });

  it('is open, and counts AI provider calls by outcome (ok, error, timeout) and the alerts they raise', async () => {
    const { server } = env;
    const admin = { token: await server.superToken() };
    const site = await server.op(CreateSiteDocument, { input: { name: 'AI shop', currency: 'EUR' } }, admin);
    const siteId = site.data!.createSite.site!.id;
    await server.op(SetAiEnabledDocument, { siteId, enabled: true }, admin);
    const item = await server.op(CreateContentItemDocument, { siteId, input: { slug: 'about', title: 'About', body: 'We sell tea.' } }, admin);
    const itemId = item.data!.createContentItem.contentItem!.id;
    for (const mode of ['ok', 'error', 'hang'] as const) {
      openai.mode = mode;
      const r = await server.op(RequestSuggestionDocument, { siteId, contentItemId: itemId, instruction: 'Friendlier' }, admin);
      expect(r.data!.requestSuggestion.userErrors.map((e) => e.code)).toEqual(mode === 'ok' ? [] : ['AI_UNAVAILABLE']);
    }
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const ai = (outcome: string) => sample(text, 'aegis_ai_calls_total', { outcome });
    expect([ai('ok'), ai('error'), ai('timeout')]).toEqual([1, 1, 1]);
    expect(sample(text, 'aegis_alerts_total', { kind: 'ai_unavailable' })).toBe(2);
  });
});
