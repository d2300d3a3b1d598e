import { print } from 'graphql';
import { AddToCartDocument, CheckoutDocument, ProductsDocument } from '../../clients/generated/graphql';
import { signedWebhook } from '../../src/integrations/stripe/sandbox';
import { WEBHOOK_SECRET } from '../support/aegis';
import { addToCart, checkout, createCart, createProduct, createSite, setDetails } from '../support/flows';
import { spawnOnFreshDatabase } from '../support/server-process';
import { ownerSql } from '../support/sql';
import { finalAnswers, rawRequest, type RawRequest } from './raw-http';

/**
 * Drill: SIGTERM under load. Many requests of every kind (checkouts calling the gateway, payment webhooks,
 * cart changes, catalogue reads) are accepted when the signal arrives, half of them with their body still to
 * come. Every one gets its whole answer (status, headers, the full JSON body), what they wrote is in the
 * database, and the process exits 0 within 10 s.
 */
const PER_KIND = 10;

let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;

beforeAll(async () => {
  env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off' });
}, 60_000);

afterAll(() => env?.close());

const until = async (what: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !what();) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

interface InFlight {
  kind: 'checkout' | 'webhook' | 'addToCart' | 'products';
  orderId?: string;
  request: RawRequest;
  /** What a complete, correct answer holds. */
  check(body: any): void;
}

describe('SIGTERM under load', () => {
  it('answers every request accepted before the signal in full, keeps what they wrote, and exits 0 within 10 s', async () => {
    const { server, stripe } = env;
    const port = Number(new URL(server.url).port);
    const siteId = await createSite(server, 'Shutdown shop');
    const productId = await createProduct(server, siteId, 'TERM-1', 1000);
    const readyCart = async () => {
      const cart = await createCart(server, siteId);
      await addToCart(server, cart.cartToken, siteId, productId, 1);
      await setDetails(server, cart.cartToken, siteId);
      return cart;
    };
    const gql = (document: Parameters<typeof print>[0], variables: object) => JSON.stringify({ query: print(document), variables });

    const inFlight: InFlight[] = [];
    for (let i = 0; i < PER_KIND; i++) {
      const toCheckout = await readyCart();
      inFlight.push({
        kind: 'checkout',
        orderId: toCheckout.orderId,
        request: await rawRequest(port, '/graphql', gql(CheckoutDocument, { siteId }), { 'X-Cart-Token': toCheckout.cartToken }),
        check: (b) =>
          expect(b.data.checkout).toMatchObject({
            userErrors: [],
            order: { state: 'PENDING_PAYMENT' },
            paymentSession: { id: expect.any(String) },
          }),
      });

      const paid = await readyCart();
      const session = (await checkout(server, paid.cartToken, siteId)).data!.checkout.paymentSession!;
      const event = JSON.stringify(stripe.event('payment_intent.succeeded', stripe.succeed(session.id)));
      inFlight.push({
        kind: 'webhook',
        orderId: paid.orderId,
        request: await rawRequest(port, '/webhooks/stripe', event, { 'Stripe-Signature': signedWebhook(event, WEBHOOK_SECRET) }),
        check: (b) => expect(b).toEqual({ received: true, outcome: 'confirmed' }),
      });

      const toFill = await createCart(server, siteId);
      inFlight.push({
        kind: 'addToCart',
        orderId: toFill.orderId,
        request: await rawRequest(port, '/graphql', gql(AddToCartDocument, { siteId, productId, quantity: 3 }), {
          'X-Cart-Token': toFill.cartToken,
        }),
        check: (b) => expect(b.data.addToCart).toMatchObject({ userErrors: [], order: { totalMinor: 3000 } }),
      });

      inFlight.push({
        kind: 'products',
        request: await rawRequest(port, '/graphql', gql(ProductsDocument, { siteId, first: 10 })),
        check: (b) =>
          expect(b.data.products.edges).toEqual([expect.objectContaining({ node: expect.objectContaining({ id: productId }) })]),
      });
    }
    // Every request accepted (the server answered 100 Continue to its head).
    await Promise.all(inFlight.map((f) => f.request.accepted));

    // Half their bodies now, so they are being worked on when the signal arrives; the other half after it.
    const [now, later] = [inFlight.filter((_, i) => i % 2 === 0), inFlight.filter((_, i) => i % 2 === 1)];
    for (const f of now) f.request.sendBody();
    const signalled = Date.now();
    process.kill(server.pid, 'SIGTERM');
    await until(() => server.output().includes('"msg":"shutting down"'));
    for (const f of later) f.request.sendBody();

    for (const f of inFlight) {
      const answers = finalAnswers(await f.request.closed);
      expect({ kind: f.kind, answers: answers.length, status: answers[0]?.status }).toEqual({ kind: f.kind, answers: 1, status: 200 });
      expect(answers[0].headers['content-type']).toMatch(/^application\/json/);
      f.check(JSON.parse(answers[0].body));
    }
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.output()).not.toContain('"cut"');

    // What the answers said is what the database holds.
    const states = await ownerSql<{ id: string; state: string; intent_id: string | null }>(
      env.dbUrl,
      `select o.id, o.state, a.intent_id from orders o left join payment_attempts a on a.id = o.current_attempt_id where o.id = any($1)`,
      [inFlight.filter((f) => f.orderId).map((f) => f.orderId)],
    );
    const stateOf = new Map(states.map((s) => [s.id, s]));
    for (const f of inFlight.filter((x) => x.kind === 'checkout')) {
      expect(stateOf.get(f.orderId!)).toMatchObject({ state: 'PENDING_PAYMENT', intent_id: expect.stringMatching(/^pi_/) });
    }
    for (const f of inFlight.filter((x) => x.kind === 'webhook')) expect(stateOf.get(f.orderId!)?.state).toBe('CONFIRMED');
  }, 60_000);
});
