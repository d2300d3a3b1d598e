import Stripe from 'stripe';
import { signedWebhook, startFakeStripe, type FakeStripe } from '../support/fake-stripe';

let fake: FakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = new Stripe('sk_test_x', { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const createPi = (amount = 1000, idempotencyKey?: string) =>
  stripe.paymentIntents.create(
    { amount, currency: 'usd', metadata: { site_id: 's1' }, automatic_payment_methods: { enabled: true } },
    idempotencyKey ? { idempotencyKey } : undefined,
  );

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
    expect(fake.paymentIntents.get(pi.id)).toEqual(JSON.parse(JSON.stringify(pi)));
    expect(fake.requests).toEqual([
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

    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', params: { expand: ['latest_charge', 'customer'] } });
    expect(fake.requests.at(-1)).not.toHaveProperty('idempotencyKey');
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
    const json = fake.fail(pi.id, 'Insufficient funds.');

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
    const publishable = new Stripe('pk_test_x', { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(publishable.paymentIntents.create({ amount: 1, currency: 'usd' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and params, creating nothing new', async () => {
    const first = await createPi(1000, 'order-1');
    const second = await createPi(1000, 'order-1');

    expect(second.id).toBe(first.id);
    expect(second.lastResponse.statusCode).toBe(200);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.paymentIntents.size).toBe(1);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual(['order-1', 'order-1']);
  });

  it('replays the original snapshot even after the object changed', async () => {
    const first = await createPi(1000, 'order-1');
    fake.succeed(first.id);

    await expect(createPi(1000, 'order-1')).resolves.toMatchObject({ id: first.id, status: 'requires_payment_method' });
  });

  it('rejects the same key with different params', async () => {
    await createPi(1000, 'order-1');

    const err = await createPi(2000, 'order-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ rawType: 'idempotency_error', statusCode: 400 });
    expect(fake.paymentIntents.size).toBe(1);
  });

  it('rejects the same key on a different endpoint', async () => {
    const pi = await createPi(1000, 'order-1');

    await expect(stripe.paymentIntents.cancel(pi.id, {}, { idempotencyKey: 'order-1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
    expect(fake.paymentIntents.get(pi.id)?.status).toBe('requires_payment_method');
  });

  it('sees the key the SDK generates for every POST, even with retries disabled', async () => {
    await createPi();
    await createPi();

    const [a, b] = fake.requests.map((r) => r.idempotencyKey);
    expect(a).toMatch(/^stripe-node-retry-/);
    expect(b).toMatch(/^stripe-node-retry-/);
    expect(a).not.toBe(b);
    expect(fake.paymentIntents.size).toBe(2);
  });
});

describe('refunds', () => {
  it('refunds a succeeded intent in full by default, then refuses a second refund', async () => {
    const pi = await createPi();
    const succeeded = fake.succeed(pi.id);
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
    expect(fake.refunds.size).toBe(1);
  });

  it('tracks partial refunds against the amount received', async () => {
    const pi = await createPi();
    fake.succeed(pi.id);

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
});

describe('failNext', () => {
  it('fails the next matching request with a 500, then recovers', async () => {
    fake.failNext({ method: 'POST', path: '/v1/payment_intents' });

    await expect(createPi(1000, 'order-1')).rejects.toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
    expect(fake.paymentIntents.size).toBe(0);

    // The failure was not remembered under the key, so the retry is processed.
    const pi = await createPi(1000, 'order-1');
    expect(pi.status).toBe('requires_payment_method');
    expect(fake.paymentIntents.size).toBe(1);
    expect(fake.requests.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['order-1', 500],
      ['order-1', 200],
    ]);
  });

  it('can answer a card error for several requests matched by RegExp', async () => {
    fake.failNext({ path: /^\/v1\/payment_intents/ }, { status: 402, code: 'card_declined', message: 'Declined.', count: 2 });

    for (let i = 0; i < 2; i++) {
      const err = await createPi().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', message: 'Declined.' });
    }
    await expect(createPi()).resolves.toMatchObject({ object: 'payment_intent' });
  });
});

describe('webhooks', () => {
  const secret = 'whsec_test_secret';

  it('builds events whose signature the SDK verifies', async () => {
    const pi = await createPi();
    const event = fake.event('payment_intent.succeeded', fake.succeed(pi.id));
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
    expect(fake.event('x.y', {}, 'evt_fixed').id).toBe('evt_fixed');
  });

  it('produces headers that fail verification with the wrong secret or an old timestamp', () => {
    const payload = JSON.stringify(fake.event('payment_intent.payment_failed', {}));

    expect(() => stripe.webhooks.constructEvent(payload, signedWebhook(payload, 'whsec_other'), secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    const stale = signedWebhook(payload, secret, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(() => stripe.webhooks.constructEvent(payload, stale, secret)).toThrow(/timestamp/i);
  });
});

describe('reset', () => {
  it('clears requests, objects, idempotency memory and failNext rules', async () => {
    const pi = await createPi(1000, 'order-1');
    fake.failNext({ path: '/v1/refunds' });
    fake.reset();

    expect(fake.requests).toHaveLength(0);
    expect(fake.paymentIntents.size).toBe(0);
    await expect(createPi(1000, 'order-1')).resolves.not.toMatchObject({ id: pi.id });
    const fresh = await createPi(1000, 'order-2');
    fake.succeed(fresh.id);
    await expect(stripe.refunds.create({ payment_intent: fresh.id })).resolves.toMatchObject({ amount: 1000 });
  });
});
