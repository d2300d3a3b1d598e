import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { signedWebhook, startStripeSandbox, type SandboxOptions, type StripeSandbox } from '../../src/integrations/stripe/sandbox';

let sandbox: StripeSandbox;
let stripe: Stripe;
let browser: Stripe;

const clientOf = (s: StripeSandbox, key = 'sk_test_x') =>
  new Stripe(key, { host: s.host, port: s.port, protocol: 'http', maxNetworkRetries: 0 });

beforeAll(async () => {
  sandbox = await startStripeSandbox();
  stripe = clientOf(sandbox);
  browser = clientOf(sandbox, 'pk_test_x');
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

const createPi = (amount = 1000, idempotencyKey?: string, client = stripe) =>
  client.paymentIntents.create(
    { amount, currency: 'usd', metadata: { site_id: 's1' }, automatic_payment_methods: { enabled: true } },
    idempotencyKey ? { idempotencyKey } : undefined,
  );

/** Confirms as Stripe.js does: publishable key, the intent's client secret, a test payment method or card number. */
const confirm = (
  pi: Stripe.PaymentIntent,
  method: string | { number: string },
  opts: { client?: Stripe; clientSecret?: string | null; idempotencyKey?: string } = {},
) =>
  (opts.client ?? browser).paymentIntents.confirm(
    pi.id,
    {
      ...(typeof method === 'string' ? { payment_method: method } : { payment_method_data: { type: 'card', card: method } }),
      ...(opts.clientSecret !== null && { client_secret: opts.clientSecret ?? pi.client_secret }),
    } as unknown as Stripe.PaymentIntentConfirmParams,
    opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : undefined,
  );

const typesOf = (s: StripeSandbox) => s.events.map((e) => e.type);

describe('payment intents', () => {
  it('creates an intent shaped like Stripe, from bracketed form params', async () => {
    const pi = await createPi();

    expect(pi).toMatchObject({
      object: 'payment_intent',
      amount: 1000,
      amount_received: 0,
      currency: 'usd',
      status: 'requires_payment_method',
      metadata: { site_id: 's1' },
      capture_method: 'automatic',
      livemode: false,
      latest_charge: null,
      last_payment_error: null,
    });
    expect(pi.id).toMatch(/^pi_\w+$/);
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_\\w+$`));
    expect(sandbox.paymentIntents.get(pi.id)).toEqual(JSON.parse(JSON.stringify(pi)));
    expect(sandbox.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/payment_intents',
        idempotencyKey: expect.any(String),
        params: { amount: '1000', currency: 'usd', metadata: { site_id: 's1' }, automatic_payment_methods: { enabled: 'true' } },
        status: 200,
      },
    ]);
  });

  it('reports missing params as invalid_request_error', async () => {
    await expect(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_missing',
      param: 'amount',
    });
  });

  it('retrieves an intent, and 404s an unknown one', async () => {
    const pi = await createPi();

    await expect(stripe.paymentIntents.retrieve(pi.id)).resolves.toMatchObject({ id: pi.id, amount: 1000 });
    await expect(stripe.paymentIntents.retrieve('pi_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('parses GET query params such as expand[0]', async () => {
    const pi = await createPi();
    await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'customer'] });

    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', params: { expand: ['latest_charge', 'customer'] } });
    expect(sandbox.requests.at(-1)).not.toHaveProperty('idempotencyKey');
  });

  it('cancels once, then refuses', async () => {
    const pi = await createPi();

    await expect(stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' })).resolves.toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
    });
    await expect(stripe.paymentIntents.cancel(pi.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
  });

  it('fail() records a card decline that the SDK sees', async () => {
    const pi = await createPi();
    const json = sandbox.fail(pi.id, 'Insufficient funds.');

    expect(json.last_payment_error).toMatchObject({ code: 'card_declined', message: 'Insufficient funds.' });
    await expect(stripe.paymentIntents.retrieve(pi.id)).resolves.toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', message: 'Insufficient funds.' },
    });
  });

  it('answers unknown endpoints with 404', async () => {
    await expect(stripe.customers.create({ email: 'a@b.c' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
    });
  });

  it('rejects keys that are not secret keys with 401', async () => {
    const publishable = new Stripe('pk_test_x', { host: sandbox.host, port: sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(publishable.paymentIntents.create({ amount: 1, currency: 'usd' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it("marks every answer as the sandbox's and allows browsers (CORS), preflight included", async () => {
    const preflight = await fetch(`${sandbox.url}/v1/payment_intents/pi_x/confirm`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type, idempotency-key, stripe-version');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(sandbox.requests).toHaveLength(0);

    const pi = await createPi();
    expect(pi.lastResponse.headers['stripe-sandbox']).toBe('aegis');
    expect(pi.lastResponse.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and params, creating nothing new', async () => {
    const first = await createPi(1000, 'order-1');
    const second = await createPi(1000, 'order-1');

    expect(second.id).toBe(first.id);
    expect(second.lastResponse.statusCode).toBe(200);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(sandbox.paymentIntents.size).toBe(1);
    expect(sandbox.requests.map((r) => r.idempotencyKey)).toEqual(['order-1', 'order-1']);
  });

  it('replays the original snapshot even after the object changed', async () => {
    const first = await createPi(1000, 'order-1');
    sandbox.succeed(first.id);

    await expect(createPi(1000, 'order-1')).resolves.toMatchObject({ id: first.id, status: 'requires_payment_method' });
  });

  it('rejects the same key with different params', async () => {
    await createPi(1000, 'order-1');

    const err = await createPi(2000, 'order-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ rawType: 'idempotency_error', statusCode: 400 });
    expect(sandbox.paymentIntents.size).toBe(1);
  });

  it('rejects the same key on a different endpoint', async () => {
    const pi = await createPi(1000, 'order-1');

    await expect(stripe.paymentIntents.cancel(pi.id, {}, { idempotencyKey: 'order-1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
    expect(sandbox.paymentIntents.get(pi.id)?.status).toBe('requires_payment_method');
  });

  it('sees the key the SDK generates for every POST, even with retries disabled', async () => {
    await createPi();
    await createPi();

    const [a, b] = sandbox.requests.map((r) => r.idempotencyKey);
    expect(a).toMatch(/^stripe-node-retry-/);
    expect(b).toMatch(/^stripe-node-retry-/);
    expect(a).not.toBe(b);
    expect(sandbox.paymentIntents.size).toBe(2);
  });
});

describe('confirming with test payment methods', () => {
  it.each(['pm_card_visa', { number: '4242424242424242' }, { number: '4242 4242-4242 4242' }])('%j succeeds', async (method) => {
    const pi = await createPi();

    const paid = await confirm(pi, method);

    expect(paid.lastResponse.statusCode).toBe(200);
    expect(paid).toMatchObject({
      id: pi.id,
      status: 'succeeded',
      amount_received: 1000,
      latest_charge: expect.stringMatching(/^ch_/),
      last_payment_error: null,
    });
    expect(paid.payment_method).toEqual(typeof method === 'string' ? method : expect.stringMatching(/^pm_/));
    expect(sandbox.paymentIntents.get(pi.id)?.status).toBe('succeeded');
    expect(sandbox.events).toEqual([
      expect.objectContaining({ type: 'payment_intent.succeeded', data: { object: JSON.parse(JSON.stringify(paid)) } }),
    ]);
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline', 'Your card was declined.'],
    ['pm_card_visa_chargeDeclined', 'generic_decline', 'Your card was declined.'],
    [{ number: '4000000000000002' }, 'generic_decline', 'Your card was declined.'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
    [{ number: '4000-0000-0000-9995' }, 'insufficient_funds', 'Your card has insufficient funds.'],
  ])('%j declines with %s', async (method, declineCode, message) => {
    const pi = await createPi();

    const err = (await confirm(pi, method).catch((e: unknown) => e)) as Stripe.errors.StripeCardError;

    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, rawType: 'card_error', code: 'card_declined', decline_code: declineCode, message });
    const lastPaymentError = { type: 'card_error', code: 'card_declined', decline_code: declineCode, message };
    expect(err.payment_intent).toMatchObject({ id: pi.id, status: 'requires_payment_method', last_payment_error: lastPaymentError });
    await expect(stripe.paymentIntents.retrieve(pi.id)).resolves.toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: lastPaymentError,
    });
    expect(sandbox.events).toEqual([
      expect.objectContaining({
        type: 'payment_intent.payment_failed',
        data: { object: expect.objectContaining({ id: pi.id, last_payment_error: lastPaymentError }) },
      }),
    ]);
  });

  it('lets a declined intent be paid with another card', async () => {
    const pi = await createPi();
    await confirm(pi, 'pm_card_chargeDeclined').catch(() => undefined);

    await expect(confirm(pi, 'pm_card_visa')).resolves.toMatchObject({ status: 'succeeded', last_payment_error: null });
    expect(typesOf(sandbox)).toEqual(['payment_intent.payment_failed', 'payment_intent.succeeded']);
  });

  it('refuses an unknown test card number with incorrect_number, leaving the intent as it was', async () => {
    const pi = await createPi();

    await expect(confirm(pi, { number: '4111111111111111' })).rejects.toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'incorrect_number',
    });
    expect(sandbox.paymentIntents.get(pi.id)).toMatchObject({ status: 'requires_payment_method', last_payment_error: null });
    expect(sandbox.events).toEqual([]);
  });

  it('refuses an unknown payment method id with resource_missing', async () => {
    const pi = await createPi();

    await expect(confirm(pi, 'pm_card_nope')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'resource_missing',
      param: 'payment_method',
    });
    expect(sandbox.paymentIntents.get(pi.id)?.status).toBe('requires_payment_method');
  });

  it('refuses a wrong client secret with the same answer as an unknown intent, revealing nothing', async () => {
    const pi = await createPi();

    const wrong = (await confirm(pi, 'pm_card_visa', { clientSecret: `${pi.id}_secret_guess` }).catch(
      (e: unknown) => e,
    )) as Stripe.errors.StripeError;
    const unknown = (await browser.paymentIntents
      .confirm('pi_unknown', { payment_method: 'pm_card_visa', client_secret: 'pi_unknown_secret_x' } as Stripe.PaymentIntentConfirmParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;

    expect(wrong).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      rawType: 'invalid_request_error',
      param: 'client_secret',
    });
    const answer = (e: Stripe.errors.StripeError) => ({
      type: e.rawType,
      code: e.code,
      message: e.message,
      param: e.param,
      payment_intent: e.payment_intent,
    });
    expect(answer(wrong)).toEqual(answer(unknown));
    expect(JSON.stringify(wrong.raw)).not.toContain(pi.id);
    expect(wrong.payment_intent).toBeUndefined();
    expect(sandbox.paymentIntents.get(pi.id)?.status).toBe('requires_payment_method');
  });

  it('requires the client secret with a publishable key, not with a secret key', async () => {
    const pi = await createPi();

    await expect(confirm(pi, 'pm_card_visa', { clientSecret: null })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_missing',
      param: 'client_secret',
    });
    expect(sandbox.paymentIntents.get(pi.id)?.status).toBe('requires_payment_method');
    await expect(confirm(pi, 'pm_card_visa', { client: stripe, clientSecret: null })).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('replays a confirm sent again with its idempotency key, paying and announcing once', async () => {
    const pi = await createPi();

    const first = await confirm(pi, 'pm_card_visa', { idempotencyKey: 'confirm-1' });
    const again = await confirm(pi, 'pm_card_visa', { idempotencyKey: 'confirm-1' });

    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(again).toMatchObject({ id: first.id, status: 'succeeded', latest_charge: first.latest_charge });
    expect(typesOf(sandbox)).toEqual(['payment_intent.succeeded']);
    await expect(confirm(pi, 'pm_card_chargeDeclined', { idempotencyKey: 'confirm-1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('refuses to confirm a canceled or a succeeded intent', async () => {
    const canceled = await createPi();
    await stripe.paymentIntents.cancel(canceled.id);
    const succeeded = await createPi();
    await confirm(succeeded, 'pm_card_visa');

    for (const pi of [canceled, succeeded]) {
      await expect(confirm(pi, 'pm_card_visa')).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        code: 'payment_intent_unexpected_state',
      });
    }
    expect(sandbox.paymentIntents.get(canceled.id)?.status).toBe('canceled');
    expect(typesOf(sandbox)).toEqual(['payment_intent.canceled', 'payment_intent.succeeded']);
  });
});

describe('refunds', () => {
  it('refunds a succeeded intent in full by default, then refuses a second refund', async () => {
    const pi = await createPi();
    const succeeded = sandbox.succeed(pi.id);
    expect(succeeded).toMatchObject({ status: 'succeeded', amount_received: 1000, latest_charge: expect.stringMatching(/^ch_/) });

    const refund = await stripe.refunds.create({ payment_intent: pi.id, metadata: { reason_code: 'dup' } });
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 1000,
      currency: 'usd',
      payment_intent: pi.id,
      status: 'succeeded',
      metadata: { reason_code: 'dup' },
    });
    expect(refund.id).toMatch(/^re_/);

    await expect(stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'charge_already_refunded',
    });
    expect(sandbox.refunds.size).toBe(1);
  });

  it('tracks partial refunds against the amount received', async () => {
    const pi = await createPi();
    sandbox.succeed(pi.id);

    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 300 })).resolves.toMatchObject({ amount: 300 });
    await expect(stripe.refunds.create({ payment_intent: pi.id, amount: 800 })).rejects.toMatchObject({
      code: 'amount_too_large',
    });
    await expect(stripe.refunds.create({ payment_intent: pi.id })).resolves.toMatchObject({ amount: 700 });
    await expect(stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({ code: 'charge_already_refunded' });
  });

  it('refuses to refund an intent that has not succeeded', async () => {
    const pi = await createPi();

    await expect(stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
  });

  it('announces each refund as charge.refunded, with the cumulative amount refunded', async () => {
    const pi = await createPi();
    const paid = await confirm(pi, 'pm_card_visa');

    await stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    await stripe.refunds.create({ payment_intent: pi.id });

    const charges = sandbox.events.filter((e) => e.type === 'charge.refunded').map((e) => e.data.object);
    const charge = {
      id: paid.latest_charge,
      object: 'charge',
      amount: 1000,
      amount_captured: 1000,
      currency: 'usd',
      payment_intent: pi.id,
      metadata: { site_id: 's1' },
      created: expect.any(Number),
    };
    expect(charges).toEqual([
      expect.objectContaining({ ...charge, amount_refunded: 300, refunded: false }),
      expect.objectContaining({ ...charge, amount_refunded: 1000, refunded: true }),
    ]);
  });
});

describe('events', () => {
  it('keeps the events of API calls, served at GET /v1/events/:id with a secret key only', async () => {
    const pi = await createPi();
    const canceled = await stripe.paymentIntents.cancel(pi.id, {}, { idempotencyKey: 'cancel-1' });
    const [event] = sandbox.events;

    expect(event).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      object: 'event',
      type: 'payment_intent.canceled',
      api_version: Stripe.API_VERSION,
      livemode: false,
      data: { object: { id: pi.id, status: 'canceled' } },
      // No endpoint configured: nothing to deliver to.
      pending_webhooks: 0,
      request: { id: canceled.lastResponse.requestId, idempotency_key: 'cancel-1' },
    });
    expect(event.created).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sandbox.deliveries).toEqual([]);
    const fetched = await stripe.events.retrieve(event.id);
    expect(JSON.parse(JSON.stringify(fetched))).toEqual(event);
    await expect(stripe.events.retrieve('evt_unknown')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(browser.events.retrieve(event.id)).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('succeed() and fail() change state without producing events', async () => {
    const a = await createPi();
    const b = await createPi();
    sandbox.succeed(a.id);
    sandbox.fail(b.id);

    expect(sandbox.paymentIntents.get(a.id)?.status).toBe('succeeded');
    expect(sandbox.paymentIntents.get(b.id)?.last_payment_error?.code).toBe('card_declined');
    expect(sandbox.events).toEqual([]);
  });
});

describe('webhooks', () => {
  const secret = 'whsec_test_secret';

  it('builds events whose signature the SDK verifies', async () => {
    const pi = await createPi();
    const event = sandbox.event('payment_intent.succeeded', sandbox.succeed(pi.id));
    const payload = JSON.stringify(event);

    const verified = stripe.webhooks.constructEvent(payload, signedWebhook(payload, secret), secret);

    expect(verified).toEqual(event);
    expect(event).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      object: 'event',
      type: 'payment_intent.succeeded',
      livemode: false,
      api_version: Stripe.API_VERSION,
      data: { object: { id: pi.id, status: 'succeeded' } },
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    expect(sandbox.event('x.y', {}, 'evt_fixed').id).toBe('evt_fixed');
  });

  it('produces headers that fail verification with the wrong secret or an old timestamp', () => {
    const payload = JSON.stringify(sandbox.event('payment_intent.payment_failed', {}));

    expect(() => stripe.webhooks.constructEvent(payload, signedWebhook(payload, 'whsec_other'), secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    const stale = signedWebhook(payload, secret, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(() => stripe.webhooks.constructEvent(payload, stale, secret)).toThrow(/timestamp/i);
  });

  it('signs exactly as Stripe does', () => {
    const payload = '{"id":"evt_1"}';
    expect(signedWebhook(payload, secret, { timestamp: 1700000000 })).toBe(
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: 1700000000 }),
    );
  });
});

/** A webhook endpoint that keeps what it receives and answers the queued statuses, then 200. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answers,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const until = async (what: string, done: () => boolean, timeoutMs = 3000) => {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('webhook delivery', () => {
  const secret = 'whsec_delivery_secret';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const opened: StripeSandbox[] = [];

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await receiver.close();
  });

  /** A sandbox whose endpoint is set after start, as a server learning its own URL does. */
  async function delivering(opts: SandboxOptions = {}) {
    const s = await startStripeSandbox({ ...opts, retry: { firstDelayMs: 10, ...opts.retry } });
    opened.push(s);
    s.setWebhook(receiver.url, secret);
    return { s, client: clientOf(s), browser: clientOf(s, 'pk_test_x') };
  }

  it('POSTs every event signed as Stripe does, verified by the SDK', async () => {
    const { s, client, browser: pk } = await delivering();
    const pi = await createPi(1000, undefined, client);
    await confirm(pi, 'pm_card_visa', { client: pk });
    await client.refunds.create({ payment_intent: pi.id });
    await s.settled();

    const events = receiver.received.map(({ headers, body }) => {
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(headers['user-agent']).toMatch(/^Stripe\/1\.0 \(\+https:\/\/stripe\.com\/docs\/webhooks\)/);
      expect(headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      return client.webhooks.constructEvent(body, headers['stripe-signature'] as string, secret, 300);
    });
    expect(events.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'charge.refunded']);
    expect(events.map((e) => e.id)).toEqual(s.events.map((e) => e.id));
    expect(events[0].pending_webhooks).toBe(1);
    expect(s.deliveries).toEqual(
      s.events.map((e) => ({
        eventId: e.id,
        type: e.type,
        url: receiver.url,
        attempts: 1,
        lastStatus: 200,
        lastError: null,
        delivered: true,
        gaveUp: false,
      })),
    );
  });

  it('retries a 500 answered twice and delivers on attempt 3, re-signing each attempt', async () => {
    const { s, client } = await delivering();
    receiver.answers.push(500, 500);
    const pi = await createPi(1000, undefined, client);
    await client.paymentIntents.cancel(pi.id);
    await s.settled();

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const { headers, body } of receiver.received) {
      expect(client.webhooks.constructEvent(body, headers['stripe-signature'] as string, secret, 300).type).toBe('payment_intent.canceled');
    }
    expect(s.deliveries).toEqual([
      expect.objectContaining({ type: 'payment_intent.canceled', attempts: 3, lastStatus: 200, delivered: true, gaveUp: false }),
    ]);
  });

  it('backs off exponentially up to maxDelayMs and gives up after maxAttempts, logging it', async () => {
    const lines: any[] = [];
    const { s, client } = await delivering({ retry: { firstDelayMs: 10, maxDelayMs: 25, maxAttempts: 4 }, log: (l) => lines.push(l) });
    receiver.answers.push(500, 500, 503, 500, 500);
    const pi = await createPi(1000, undefined, client);
    await client.paymentIntents.cancel(pi.id);
    await s.settled();

    expect(receiver.received).toHaveLength(4);
    expect(s.deliveries).toEqual([expect.objectContaining({ attempts: 4, lastStatus: 500, delivered: false, gaveUp: true })]);
    expect(lines.filter((l) => l.action === 'webhook_retry').map((l) => l.retryInMs)).toEqual([10, 20, 25]);
    expect(lines.filter((l) => l.action === 'webhook_given_up')).toEqual([
      expect.objectContaining({ sandbox: 'stripe', eventId: s.events[0].id, attempt: 4, status: 500 }),
    ]);
    expect(lines.filter((l) => l.action === 'request').map((l) => l.path)).toEqual([
      '/v1/payment_intents',
      `/v1/payment_intents/${pi.id}/cancel`,
    ]);
  });

  it('retries a network error', async () => {
    const { s, client } = await delivering({ retry: { maxAttempts: 2 } });
    // Nothing listens on port 1.
    s.setWebhook('http://127.0.0.1:1/hooks', secret);
    const pi = await createPi(1000, undefined, client);
    await client.paymentIntents.cancel(pi.id);
    await s.settled();

    expect(s.deliveries).toEqual([
      expect.objectContaining({ attempts: 2, lastStatus: null, lastError: expect.stringMatching(/ECONNREFUSED/), gaveUp: true }),
    ]);
  });

  it('close() cancels pending retries and resolves settled()', async () => {
    const { s, client } = await delivering({ retry: { firstDelayMs: 300 } });
    receiver.answers.push(500);
    const pi = await createPi(1000, undefined, client);
    await client.paymentIntents.cancel(pi.id);
    await until('the first attempt', () => s.deliveries[0]?.lastStatus === 500);
    const settled = s.settled();

    opened.splice(opened.indexOf(s), 1);
    await s.close();
    await settled;
    await new Promise((r) => setTimeout(r, 400));

    expect(receiver.received).toHaveLength(1);
    expect(s.deliveries).toEqual([expect.objectContaining({ attempts: 1, delivered: false, gaveUp: false })]);
  });

  it('delivers nothing for succeed()/fail() or for events before an endpoint was set', async () => {
    const s = await startStripeSandbox();
    opened.push(s);
    const client = clientOf(s);
    const before = await createPi(1000, undefined, client);
    await client.paymentIntents.cancel(before.id);
    s.setWebhook(receiver.url, secret);
    const after = await createPi(1000, undefined, client);
    s.succeed(after.id);
    await s.settled();

    expect(receiver.received).toHaveLength(0);
    expect(s.events.map((e) => [e.type, e.pending_webhooks])).toEqual([['payment_intent.canceled', 0]]);
  });
});

describe('reset', () => {
  it('clears requests, objects, idempotency memory and failNext rules', async () => {
    const pi = await createPi(1000, 'order-1');
    sandbox.failNext({ path: '/v1/refunds' });
    sandbox.reset();

    expect(sandbox.requests).toHaveLength(0);
    expect(sandbox.paymentIntents.size).toBe(0);
    await expect(createPi(1000, 'order-1')).resolves.not.toMatchObject({ id: pi.id });
    const fresh = await createPi(1000, 'order-2');
    sandbox.succeed(fresh.id);
    await expect(stripe.refunds.create({ payment_intent: fresh.id })).resolves.toMatchObject({ amount: 1000 });
  });
});

describe('failNext', () => {
  it('fails the next matching request with a 500, then recovers', async () => {
    sandbox.failNext({ method: 'POST', path: '/v1/payment_intents' });

    await expect(createPi(1000, 'order-1')).rejects.toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
    expect(sandbox.paymentIntents.size).toBe(0);

    // The failure was not remembered under the key, so the retry is processed.
    const pi = await createPi(1000, 'order-1');
    expect(pi.status).toBe('requires_payment_method');
    expect(sandbox.paymentIntents.size).toBe(1);
    expect(sandbox.requests.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['order-1', 500],
      ['order-1', 200],
    ]);
  });

  it('can answer a card error for several requests matched by RegExp', async () => {
    sandbox.failNext({ path: /^\/v1\/payment_intents/ }, { status: 402, code: 'card_declined', message: 'Declined.', count: 2 });

    for (let i = 0; i < 2; i++) {
      const err = await createPi().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', message: 'Declined.' });
    }
    await expect(createPi()).resolves.toMatchObject({ object: 'payment_intent' });
  });
});
