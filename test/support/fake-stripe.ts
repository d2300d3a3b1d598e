/**
 * A fake of the slice of Stripe's v1 API the payment code uses (PaymentIntents
 * and Refunds). It speaks real HTTP so the official `stripe` SDK runs end to
 * end: form encoding, headers, error-to-exception mapping and idempotency.
 *
 *   const fake = await startFakeStripe();
 *   const stripe = new Stripe('sk_test_x', { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  idempotencyKey?: string;
  /** Query string and form body, parsed: every leaf is a string, as sent. */
  params: Record<string, unknown>;
  status: number;
}

export interface PaymentIntentJson {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  client_secret: string;
  metadata: Record<string, string>;
  capture_method: string;
  automatic_payment_methods: { enabled: boolean } | null;
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  livemode: false;
  latest_charge: string | null;
  last_payment_error: { type: 'card_error'; code: string; decline_code?: string; message: string } | null;
}

/** The stored intent is exactly what the API returns. */
export type FakePaymentIntent = PaymentIntentJson;

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded';
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export type EventJson = {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: unknown };
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
};

export interface FailNextMatch {
  /** Any method when omitted. */
  method?: string;
  /** Matched against the path without the query string. */
  path: string | RegExp;
}

export interface FailNextOptions {
  /** Default 500. 402 becomes a `card_error` (StripeCardError), 5xx an `api_error`. */
  status?: number;
  code?: string;
  message?: string;
  /** Default 1. */
  count?: number;
}

export interface FakeStripe {
  url: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  paymentIntents: Map<string, FakePaymentIntent>;
  refunds: Map<string, FakeRefund>;
  /** Marks the intent succeeded (amount_received = amount) and returns a snapshot of its JSON, for building a webhook event. */
  succeed(piId: string): PaymentIntentJson;
  /** Marks a payment attempt as declined: status 'requires_payment_method' with a card_declined last_payment_error. */
  fail(piId: string, reason?: string): PaymentIntentJson;
  /** The next `count` matching requests get this error instead of being processed (nothing stored, nothing remembered for idempotency). */
  failNext(match: FailNextMatch, opts?: FailNextOptions): void;
  /** Builds a Stripe Event JSON around `object`; sign `JSON.stringify(event)` with `signedWebhook`. */
  event(type: string, object: unknown, id?: string): EventJson;
  /** Clears requests, objects, idempotency memory and failNext rules. */
  reset(): void;
  close(): Promise<void>;
}

/** The `Stripe-Signature` header value for `payload`, produced by the official SDK. */
export function signedWebhook(payload: string, secret: string, opts: { timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: opts.timestamp });
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const fake = new FakeStripeServer();
  await fake.listen();
  return fake;
}

type Params = Record<string, unknown>;
/** A response with its body already serialised, so an idempotent replay is byte-identical even after the object changed. */
interface Reply {
  status: number;
  body: string;
}
interface FailRule extends FailNextMatch {
  status: number;
  code?: string;
  message: string;
  remaining: number;
}

const rand = (): string => randomBytes(12).toString('hex');
const now = (): number => Math.floor(Date.now() / 1000);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const positiveInt = (v: unknown): number | null => {
  const n = Number(v);
  return typeof v === 'string' && Number.isInteger(n) && n > 0 ? n : null;
};
// Spreading also turns an integer-keyed metadata that parseForm made into an array back into an object.
const asMetadata = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null ? { ...(v as Record<string, string>) } : {};

const ok = (object: unknown): Reply => ({ status: 200, body: JSON.stringify(object) });

function stripeError(status: number, code: string | undefined, message: string, param?: string): Reply {
  const type = status === 402 ? 'card_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return { status, body: JSON.stringify({ error: { type, code, message, param } }) };
}
const missing = (param: string): Reply => stripeError(400, 'parameter_missing', `Missing required param: ${param}.`, param);
const invalidInteger = (param: string, value: unknown): Reply =>
  stripeError(400, 'parameter_invalid_integer', `Invalid integer: ${String(value)}`, param);
const noSuchIntent = (id: string, param?: string): Reply =>
  stripeError(404, 'resource_missing', `No such payment_intent: '${id}'`, param);

function idempotencyError(message: string): Reply {
  return { status: 400, body: JSON.stringify({ error: { type: 'idempotency_error', message } }) };
}

/**
 * Parses Stripe's form encoding (`metadata[site_id]=x&expand[0]=y`) into nested
 * objects. Levels keyed exactly 0..n-1 become arrays, as the SDK encodes arrays that way.
 */
function parseForm(raw: string): Params {
  const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  const root: Params = {};
  for (const pair of raw.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const segments = key.split('[').map((s) => s.replace(/\]$/, ''));
    const leaf = segments.pop() as string;
    let node = root;
    for (const segment of segments) node = (node[segment] ??= {}) as Params;
    node[leaf] = value;
  }
  return arrayify(root) as Params;
}

function arrayify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Object.entries lists integer keys first, in ascending order.
  const entries = Object.entries(value).map(([k, v]) => [k, arrayify(v)] as const);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/** JSON with object keys sorted, so parameter order does not affect idempotency comparisons. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

class FakeStripeServer implements FakeStripe {
  readonly host = '127.0.0.1';
  port = 0;
  readonly requests: RecordedRequest[] = [];
  readonly paymentIntents = new Map<string, FakePaymentIntent>();
  readonly refunds = new Map<string, FakeRefund>();
  private readonly idempotency = new Map<string, { endpoint: string; params: string; reply: Reply }>();
  private readonly failRules: FailRule[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // The SDK's http.Agent keeps sockets alive; without this, close() waits for them to time out.
      this.server.closeAllConnections();
    });
  }

  reset(): void {
    this.requests.length = 0;
    this.paymentIntents.clear();
    this.refunds.clear();
    this.idempotency.clear();
    this.failRules.length = 0;
  }

  succeed(piId: string): PaymentIntentJson {
    const pi = this.intent(piId);
    if (pi.status === 'canceled') throw new Error(`fake-stripe: ${piId} is canceled and cannot succeed`);
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.latest_charge = `ch_${rand()}`;
    pi.last_payment_error = null;
    return structuredClone(pi);
  }

  fail(piId: string, reason = 'Your card was declined.'): PaymentIntentJson {
    const pi = this.intent(piId);
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: reason };
    return structuredClone(pi);
  }

  failNext(match: FailNextMatch, opts: FailNextOptions = {}): void {
    const status = opts.status ?? 500;
    this.failRules.push({
      method: match.method?.toUpperCase(),
      path: match.path,
      status,
      code: opts.code,
      message: opts.message ?? `Simulated ${status} from fake Stripe`,
      remaining: opts.count ?? 1,
    });
  }

  event(type: string, object: unknown, id = `evt_${rand()}`): EventJson {
    return {
      id,
      object: 'event',
      type,
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      data: { object },
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
  }

  private intent(piId: string): FakePaymentIntent {
    const pi = this.paymentIntents.get(piId);
    if (!pi) throw new Error(`fake-stripe: unknown PaymentIntent ${piId}`);
    return pi;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.url);
    const key = req.headers['idempotency-key'] as string | undefined;
    let params: Params = {};
    let result: { reply: Reply; replayed?: boolean };
    try {
      req.setEncoding('utf8');
      let body = '';
      for await (const chunk of req) body += chunk as string;
      params = parseForm([url.search.slice(1), body].filter(Boolean).join('&'));
      result = this.dispatch(method, url.pathname, params, key, req.headers.authorization);
    } catch (err) {
      result = { reply: stripeError(500, undefined, `fake-stripe crashed: ${(err as Error).message}`) };
    }
    const { reply, replayed } = result;
    this.requests.push({ method, path: url.pathname, ...(key !== undefined && { idempotencyKey: key }), params, status: reply.status });
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'request-id': `req_${rand()}`,
      ...(key !== undefined && { 'idempotency-key': key }),
      ...(replayed && { 'idempotent-replayed': 'true' }),
    });
    res.end(reply.body);
  }

  private dispatch(
    method: string,
    path: string,
    params: Params,
    key: string | undefined,
    authorization: string | undefined,
  ): { reply: Reply; replayed?: boolean } {
    if (!/^Bearer (sk|rk)_/.test(authorization ?? '')) {
      return { reply: stripeError(401, 'api_key_invalid', 'Invalid API Key provided.') };
    }

    const ruleIndex = this.failRules.findIndex(
      (r) => (!r.method || r.method === method) && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (ruleIndex >= 0) {
      const rule = this.failRules[ruleIndex];
      if (--rule.remaining === 0) this.failRules.splice(ruleIndex, 1);
      return { reply: stripeError(rule.status, rule.code, rule.message) };
    }

    // Stripe only applies idempotency to POSTs.
    if (method !== 'POST' || key === undefined) return { reply: this.route(method, path, params) };
    const endpoint = `${method} ${path}`;
    const seen = this.idempotency.get(key);
    if (!seen) {
      // Like Stripe, error outcomes of an executed endpoint (e.g. charge_already_refunded) are remembered too.
      const reply = this.route(method, path, params);
      this.idempotency.set(key, { endpoint, params: canonical(params), reply });
      return { reply };
    }
    if (seen.endpoint !== endpoint) {
      return {
        reply: idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      };
    }
    if (seen.params !== canonical(params)) {
      return {
        reply: idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      };
    }
    return { reply: seen.reply, replayed: true };
  }

  private route(method: string, path: string, params: Params): Reply {
    const intentPath = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path);
    if (method === 'POST' && path === '/v1/payment_intents') return this.createPaymentIntent(params);
    if (method === 'GET' && intentPath && !intentPath[2]) {
      const pi = this.paymentIntents.get(intentPath[1]);
      return pi ? ok(pi) : noSuchIntent(intentPath[1]);
    }
    if (method === 'POST' && intentPath?.[2]) return this.cancelPaymentIntent(intentPath[1], params);
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(params);
    return stripeError(404, 'resource_missing', `Unrecognized request URL (${method}: ${path}).`);
  }

  private createPaymentIntent(p: Params): Reply {
    if (p.amount === undefined) return missing('amount');
    if (p.currency === undefined) return missing('currency');
    const amount = positiveInt(p.amount);
    if (amount === null) return invalidInteger('amount', p.amount);
    const apm = p.automatic_payment_methods as Params | undefined;
    const id = `pi_${rand()}`;
    const pi: FakePaymentIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: String(p.currency).toLowerCase(),
      status: 'requires_payment_method',
      client_secret: `${id}_secret_${rand()}`,
      metadata: asMetadata(p.metadata),
      capture_method: str(p.capture_method) ?? 'automatic',
      automatic_payment_methods: apm ? { enabled: apm.enabled === 'true' } : null,
      created: now(),
      canceled_at: null,
      cancellation_reason: null,
      livemode: false,
      latest_charge: null,
      last_payment_error: null,
    };
    this.paymentIntents.set(id, pi);
    return ok(pi);
  }

  private cancelPaymentIntent(id: string, p: Params): Reply {
    const pi = this.paymentIntents.get(id);
    if (!pi) return noSuchIntent(id);
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      return stripeError(
        400,
        'payment_intent_unexpected_state',
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
      );
    }
    pi.status = 'canceled';
    pi.canceled_at = now();
    pi.cancellation_reason = str(p.cancellation_reason);
    return ok(pi);
  }

  private createRefund(p: Params): Reply {
    const piId = str(p.payment_intent);
    if (!piId) return missing('payment_intent');
    const pi = this.paymentIntents.get(piId);
    if (!pi) return noSuchIntent(piId, 'payment_intent');
    if (pi.status !== 'succeeded') {
      return stripeError(
        400,
        'payment_intent_unexpected_state',
        `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
      );
    }
    let refunded = 0;
    for (const r of this.refunds.values()) if (r.payment_intent === piId) refunded += r.amount;
    const refundable = pi.amount_received - refunded;
    if (refundable <= 0) {
      return stripeError(400, 'charge_already_refunded', `Charge ${pi.latest_charge} has already been refunded.`);
    }
    // Like Stripe, no amount means "whatever is left", i.e. amount_received when nothing was refunded yet.
    const amount = p.amount === undefined ? refundable : positiveInt(p.amount);
    if (amount === null) return invalidInteger('amount', p.amount);
    if (amount > refundable) {
      return stripeError(
        400,
        'amount_too_large',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable}).`,
        'amount',
      );
    }
    const refund: FakeRefund = {
      id: `re_${rand()}`,
      object: 'refund',
      amount,
      currency: pi.currency,
      payment_intent: piId,
      charge: pi.latest_charge,
      status: 'succeeded',
      reason: str(p.reason),
      metadata: asMetadata(p.metadata),
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return ok(refund);
  }
}
