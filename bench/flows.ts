import { signedWebhook, type StripeSandbox } from '../src/integrations/stripe/sandbox';
import type { HttpClient, Reply } from './http';
import type { Recorder } from './stats';

/** What every virtual shopper shares: the server, the seeded site and catalogue, the gateway. */
export interface Shop {
  client: HttpClient;
  siteId: string;
  productIds: string[];
  stripe: StripeSandbox;
  webhookSecret: string;
}

/** The operations as a storefront sends them: after a cart change it shows the lines and the total. */
export const Q = {
  trivial: `{ __typename }`,
  createCart: `mutation($s:ID!){ createCart(siteId:$s){ cartToken order{ id state } userErrors{ code message } } }`,
  addToCart: `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){
    order{ id state totalMinor lines{ id quantity lineTotalMinor product{ id name priceMinor } } } userErrors{ code message } } }`,
  /** Calibration only: the command alone, without the lines read its usual selection causes. */
  addToCartLean: `mutation($s:ID!,$p:ID!,$q:Int!){ addToCart(siteId:$s,productId:$p,quantity:$q){ order{ id totalMinor } userErrors{ code message } } }`,
  setCheckoutDetails: `mutation($s:ID!,$i:CheckoutDetailsInput!){ setCheckoutDetails(siteId:$s,input:$i){ order{ id email } userErrors{ code message } } }`,
  checkout: `mutation($s:ID!){ checkout(siteId:$s){ order{ id state totalMinor } paymentSession{ id clientSecret } userErrors{ code message } } }`,
  requestSuggestion: `mutation($s:ID!,$c:ID!,$i:String!){ requestSuggestion(siteId:$s,contentItemId:$c,instruction:$i){ suggestion{ id } userErrors{ code message } } }`,
  products: `query($s:ID!){ products(siteId:$s, first: 20){ edges{ node{ id sku name priceMinor currency } } pageInfo{ hasNextPage endCursor } } }`,
  cart: `query($s:ID!){ cart(siteId:$s){ id state totalMinor email
    lines{ id quantity unitPriceMinor lineTotalMinor product{ id sku name priceMinor } }
    paymentAttempts{ id status amountMinor } history{ from to actor at } } }`,
};

const ADDRESS = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const DETAILS = { email: 'ada@example.com', shippingAddress: ADDRESS, billingAddress: ADDRESS };

/** A GraphQL reply that is a success: HTTP 200, no errors, the field present and without userErrors. */
export function gqlProblem(r: Reply, field: string, need?: (payload: any) => unknown): string | null {
  if (r.status !== 200) return `HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`;
  if (r.body?.errors?.length) return `errors: ${JSON.stringify(r.body.errors).slice(0, 200)}`;
  const payload = r.body?.data?.[field];
  if (payload === undefined || payload === null) return `no data.${field}`;
  if (payload.userErrors?.length) return `userErrors: ${JSON.stringify(payload.userErrors)}`;
  if (need && !need(payload)) return `unexpected ${field}: ${JSON.stringify(payload).slice(0, 200)}`;
  return null;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];

/** createCart, addToCart x2 (two different products), setCheckoutDetails, checkout. Returns the intent id or null. */
export async function fillAndCheckout(shop: Shop, rec: Recorder): Promise<{ cartToken: string; intentId: string } | null> {
  const { client, siteId } = shop;
  const created = await rec.time(
    'createCart',
    () => client.gql(Q.createCart, { s: siteId }),
    (r) => gqlProblem(r, 'createCart', (p) => p.cartToken && p.order?.state === 'DRAFT'),
  );
  if (!created) return null;
  const cartToken: string = created.body.data.createCart.cartToken;
  const headers = { 'x-cart-token': cartToken };
  const first = pick(shop.productIds);
  const second = pick(shop.productIds.filter((p) => p !== first));
  for (const [productId, lines] of [
    [first, 1],
    [second, 2],
  ] as const) {
    const added = await rec.time(
      'addToCart',
      () => client.gql(Q.addToCart, { s: siteId, p: productId, q: 1 + Math.floor(Math.random() * 3) }, headers),
      (r) => gqlProblem(r, 'addToCart', (p) => p.order?.lines?.length === lines),
    );
    if (!added) return null;
  }
  const detailed = await rec.time(
    'setCheckoutDetails',
    () => client.gql(Q.setCheckoutDetails, { s: siteId, i: DETAILS }, headers),
    (r) => gqlProblem(r, 'setCheckoutDetails'),
  );
  if (!detailed) return null;
  const checkedOut = await rec.time(
    'checkout',
    () => client.gql(Q.checkout, { s: siteId }, headers),
    (r) => gqlProblem(r, 'checkout', (p) => p.order?.state === 'PENDING_PAYMENT' && p.paymentSession?.id),
  );
  if (!checkedOut) return null;
  return { cartToken, intentId: checkedOut.body.data.checkout.paymentSession.id };
}

/** The gateway's side: the intent succeeds and a signed payment_intent.succeeded arrives. True when CONFIRMED. */
export async function payWebhook(shop: Shop, rec: Recorder, intentId: string): Promise<boolean> {
  const payload = JSON.stringify(shop.stripe.event('payment_intent.succeeded', shop.stripe.succeed(intentId)));
  const reply = await rec.time(
    'webhook',
    () => shop.client.post('/webhooks/stripe', payload, { 'stripe-signature': signedWebhook(payload, shop.webhookSecret) }),
    (r) => (r.status === 200 && r.body?.outcome === 'confirmed' ? null : `HTTP ${r.status}: ${JSON.stringify(r.body)}`),
  );
  return reply !== null;
}

/** Runs `worker` in `concurrency` loops until `seconds` have passed; returns the wall time until the last one ended. */
export async function forSeconds(concurrency: number, seconds: number, worker: (i: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      while (performance.now() < deadline) await worker(i);
    }),
  );
  return (performance.now() - start) / 1000;
}
