import { CheckoutDocument, OrdersDocument, ProductsDocument } from '../../clients/generated/graphql';
import { SUPER_ADMIN } from '../support/aegis';
import { addToCart, createCart, createProduct, createSite, setDetails } from '../support/flows';
import { spawnOnFreshDatabase, type ServerProcess } from '../support/server-process';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The built server's own JSON log, as an operator reads it. */
describe('request log', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off', LOG_LEVEL: 'info' });
    server = env.server;
  }, 60_000);
  afterAll(() => env?.close());

  const lines = () => server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const settle = () => new Promise((r) => setTimeout(r, 200));
  const post = async (body: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return res.json() as Promise<any>;
  };

  it('logs an operation that answered errors with its request id, operation and codes; successes stay at debug', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-test-1' },
      body: JSON.stringify({ query: 'query WhoAmI { me { id } }' }),
    });
    expect(res.status).toBe(200);
    await server.op(ProductsDocument, { siteId: '0190c0de-0000-7000-8000-00000000dead' });
    await new Promise((r) => setTimeout(r, 200));
    const logged = lines().filter((l) => l.msg?.startsWith('graphql operation'));
    expect(logged).toEqual([
      expect.objectContaining({ level: 40, requestId: 'req-log-test-1', operation: 'WhoAmI', actor: 'anonymous', errors: ['UNAUTHENTICATED'], ms: expect.any(Number) }),
    ]);
  });

  it('echoes a sane x-request-id on every route and replaces an insane one with a new uuid', async () => {
    const routes: [string, RequestInit][] = [
      ['/healthz', {}],
      ['/readyz', {}],
      ['/metrics', {}],
      ['/no/such/route', {}],
      ['/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }],
      ['/webhooks/stripe', { method: 'POST', headers: { 'stripe-signature': 't=1,v1=forged' }, body: '{}' }],
    ];
    for (const [route, init] of routes) {
      const ask = (id: string) => fetch(`${server.url}${route}`, { ...init, headers: { ...init.headers, 'x-request-id': id } });
      expect([route, (await ask('edge-1:abc_DEF.42-z')).headers.get('x-request-id')]).toEqual([route, 'edge-1:abc_DEF.42-z']);
      for (const insane of ['has spaces', 'x'.repeat(129), 'a/b', '{"json":1}']) {
        expect([route, (await ask(insane)).headers.get('x-request-id')]).toEqual([route, expect.stringMatching(UUID)]);
      }
    }
    expect(server.output()).not.toContain('x'.repeat(129));
  });

  it("names the site and the actor (an admin by id, never by email) on an operation's line", async () => {
    const siteId = '0190c0de-0000-7000-8000-00000000beef';
    await server.op(OrdersDocument, { siteId }, { requestId: 'req-log-site-var' });
    await post({ query: `query { order(siteId: "${siteId}", id: "${siteId}") { id } }` }, { 'x-request-id': 'req-log-site-literal' });
    await post({ query: 'query MeBroken { me { id notAField } }' }, { 'x-request-id': 'req-log-admin', authorization: `Bearer ${await server.superToken()}` });
    await settle();
    const byId = (id: string) => lines().find((l) => l.requestId === id && l.msg === 'graphql operation answered errors');
    expect(byId('req-log-site-var')).toMatchObject({ siteId, actor: 'anonymous', operation: 'Orders', errors: ['UNAUTHENTICATED'] });
    expect(byId('req-log-site-literal')).toMatchObject({ siteId, actor: 'anonymous', operation: null });
    expect(byId('req-log-admin')).toMatchObject({ actor: expect.stringMatching(new RegExp(`^admin:${UUID.source.slice(1, -1)}$`)), errors: ['GRAPHQL_VALIDATION_FAILED'] });
    expect(server.output()).not.toContain(`admin:${SUPER_ADMIN.email}`);
  });

  it("carries the request id, actor and site on the domain's lines during a checkout and a webhook, each key once", async () => {
    const siteId = await createSite(server);
    const productId = await createProduct(server, siteId, 'LOG-1', 1000);
    const cart = await createCart(server, siteId);
    await addToCart(server, cart.cartToken, siteId, productId, 1);
    await setDetails(server, cart.cartToken, siteId);
    env.stripe.failNext({ method: 'POST', path: '/v1/payment_intents' });
    const refused = await server.op(CheckoutDocument, { siteId }, { requestId: 'req-log-checkout', cartToken: cart.cartToken });
    expect(refused.data!.checkout.userErrors).toEqual([expect.objectContaining({ code: 'PAYMENT_GATEWAY_ERROR' })]);
    const paid = await server.op(CheckoutDocument, { siteId }, { cartToken: cart.cartToken });
    const event = env.stripe.event('payment_intent.succeeded', env.stripe.succeed(paid.data!.checkout.paymentSession!.id));
    expect((await server.webhook(event)).body.outcome).toBe('confirmed');
    // The same payment again under a new event id: the domain logs that it matches no transition.
    expect((await server.webhook({ ...event, id: `${event.id}_again` })).body.outcome).toBe('unmatched');
    await settle();

    const raw = server.output().split('\n');
    const line = (msg: string, where: (l: any) => boolean = () => true) => {
      const i = lines().findIndex((l) => l.msg === msg && where(l));
      return { parsed: lines()[i], raw: raw.filter((l) => l.startsWith('{'))[i] };
    };
    const gateway = line('payment gateway call failed');
    expect(gateway.parsed).toMatchObject({ requestId: 'req-log-checkout', actor: 'visitor', siteId, level: 50 });
    const unmatched = line('payment event matches no transition', (l) => l.eventId === `${event.id}_again`);
    expect(unmatched.parsed).toMatchObject({ requestId: expect.stringMatching(UUID), actor: 'gateway', siteId });
    const handled = line('gateway event handled', (l) => l.eventId === event.id);
    expect(handled.parsed).toMatchObject({ requestId: expect.stringMatching(UUID), actor: 'gateway', siteId, outcome: 'confirmed' });
    for (const { raw: text } of [gateway, unmatched, handled]) {
      expect(text.match(/"siteId":/g)).toHaveLength(1);
      expect(text.match(/"requestId":/g)).toHaveLength(1);
    }
  });

  it('logs a refused webhook signature with its request id', async () => {
    await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': 't=1,v1=forged', 'x-request-id': 'req-log-forged' }, body: '{}' });
    await settle();
    expect(lines().find((l) => l.requestId === 'req-log-forged')).toMatchObject({ msg: 'gateway webhook signature rejected', actor: 'gateway', level: 50 });
  });
});

describe('request log with LOG_FORMAT=pretty', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  beforeAll(async () => {
    env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off', LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
  }, 60_000);
  afterAll(() => env?.close());

  it('prints human lines, not JSON', async () => {
    await fetch(`${env.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-pretty-1' },
      body: JSON.stringify({ query: 'query WhoAmI { me { id } }' }),
    });
    await new Promise((r) => setTimeout(r, 200));
    const out = env.server.output().split('\n');
    expect(out.filter((l) => l.startsWith('{'))).toEqual([]);
    const i = out.findIndex((l) => /^\[[\d:.]+\] WARN \(\d+\): graphql operation answered errors$/.test(l));
    expect(i).toBeGreaterThan(-1);
    // pino-pretty puts the fields on the lines below the message.
    expect(out.slice(i + 1, i + 8).join('\n')).toMatch(/requestId: "req-pretty-1"[\s\S]*actor: "anonymous"|actor: "anonymous"[\s\S]*requestId: "req-pretty-1"/);
  });
});
