import { CreateCartDocument } from '../../clients/generated/graphql';
import type { GqlResult } from '../support/aegis';
import { addToCart, checkout, setDetails, type Shop } from '../support/flows';

/**
 * Shoppers for the fault drills: each buys in a loop as a storefront does (cart, two lines, details, checkout,
 * then pays at the gateway), and retries a step the server answered SERVICE_UNAVAILABLE, as a client should.
 * Every answer that is neither a success nor that clean refusal is kept, for the test to show.
 */
export const PLAIN_MESSAGE = 'The service is temporarily unavailable; try again shortly';

export type Answer = GqlResult & { network?: string };

/** The one refusal an outage may cause: 503, each error exactly a plain message and SERVICE_UNAVAILABLE, nothing internal. */
export function isCleanUnavailable(r: Answer): boolean {
  if (r.status !== 503 || !r.errors?.length) return false;
  return r.errors.every((e) => {
    const { message, extensions, path, ...rest } = e as typeof e & { path?: unknown };
    return (
      message === PLAIN_MESSAGE &&
      JSON.stringify(extensions) === '{"code":"SERVICE_UNAVAILABLE"}' &&
      (path === undefined || Array.isArray(path)) &&
      Object.keys(rest).length === 0
    );
  });
}

export interface Load {
  /** Stop starting purchases; the ones under way finish (retrying through an outage until `deadline`). */
  stop(): void;
  /** Resolves once every shopper has finished. */
  done: Promise<void>;
  /** Intents paid at the gateway, one per completed purchase. */
  paid: string[];
  /** Answers per step: ok, and clean SERVICE_UNAVAILABLE refusals. */
  counts: Record<string, { ok: number; unavailable: number }>;
  /** A few clean refusals as received, to look at. */
  refusals: Answer[];
  /** Anything else: the drill fails on any. */
  unexpected: { step: string; answer: Answer }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startShoppers(opts: {
  shop: Shop;
  siteId: string;
  productIds: [string, string];
  shoppers: number;
  /** Pays an intent at the gateway (the browser's confirm at the sandbox). */
  pay: (session: { id: string; clientSecret: string }) => Promise<void>;
  /** No retry after this instant: a drill that passed it has failed. */
  deadline: number;
}): Load {
  const { shop, siteId } = opts;
  let stopping = false;
  const load: Omit<Load, 'done' | 'stop'> = { paid: [], counts: {}, refusals: [], unexpected: [] };

  async function step<R extends Answer>(name: string, send: () => Promise<R>, ok: (r: R) => boolean): Promise<R | null> {
    const count = (load.counts[name] ??= { ok: 0, unavailable: 0 });
    for (;;) {
      const r = await send().catch((err: Error) => ({ status: 0, network: err.message }) as R);
      if (ok(r)) {
        count.ok += 1;
        return r;
      }
      if (!isCleanUnavailable(r) || Date.now() > opts.deadline) {
        load.unexpected.push({ step: name, answer: r });
        return null;
      }
      count.unavailable += 1;
      if (load.refusals.length < 5) load.refusals.push(r);
      await sleep(50);
    }
  }

  async function buy(): Promise<boolean> {
    const created = await step(
      'createCart',
      () => shop.op(CreateCartDocument, { siteId }),
      (r) => Boolean(r.data?.createCart.cartToken),
    );
    if (!created) return false;
    const cartToken = created.data!.createCart.cartToken!;
    for (const [i, productId] of opts.productIds.entries()) {
      const added = await step(
        'addToCart',
        () => addToCart(shop, cartToken, siteId, productId, i + 1),
        (r) => r.status === 200 && r.data?.addToCart.userErrors.length === 0,
      );
      if (!added) return false;
    }
    const detailed = await step(
      'setCheckoutDetails',
      () => setDetails(shop, cartToken, siteId),
      (r) => r.status === 200 && r.data?.setCheckoutDetails.userErrors.length === 0,
    );
    if (!detailed) return false;
    const checkedOut = await step(
      'checkout',
      () => checkout(shop, cartToken, siteId),
      (r) => r.status === 200 && r.data?.checkout.userErrors.length === 0 && Boolean(r.data.checkout.paymentSession),
    );
    if (!checkedOut) return false;
    const session = checkedOut.data!.checkout.paymentSession!;
    try {
      await opts.pay(session);
    } catch (err) {
      load.unexpected.push({ step: 'pay', answer: { status: 0, network: (err as Error).message } });
      return false;
    }
    load.paid.push(session.id);
    return true;
  }

  const done = Promise.all(
    Array.from({ length: opts.shoppers }, async () => {
      while (!stopping && (await buy()));
    }),
  ).then(() => undefined);
  return { ...load, done, stop: () => void (stopping = true) };
}
