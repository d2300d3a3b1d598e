import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  GatewayError,
  MalformedEventError,
  WebhookSignatureError,
  type CreateIntentRequest,
  type IntentFacts,
  type IntentOwner,
  type IntentStatus,
  type PaymentEvent,
  type PaymentProvider,
  type RefundRequest,
} from '../../src/domain/order/ports';

/**
 * A payment provider that is not Stripe, written against the domain's ports only: the proof that a provider is
 * one adapter and one registration line (CONTRIBUTING.md). Its intents live in memory; its webhooks are JSON
 * signed with an HMAC in `x-test-signature`.
 */
export interface TestIntent {
  id: string;
  amountMinor: number;
  currency: string;
  owner: IntentOwner;
  status: 'open' | 'paid' | 'canceled';
  refunds: string[];
}

const factsOf = (intent: TestIntent): IntentFacts => ({
  id: intent.id,
  amountMinor: intent.amountMinor,
  amountReceivedMinor: intent.status === 'paid' ? intent.amountMinor : 0,
  currency: intent.currency,
  ...intent.owner,
});

export function testPaymentProvider(secret = 'test-provider-secret') {
  const intents = new Map<string, TestIntent>();
  const byKey = new Map<string, string>();
  const calls: string[] = [];
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');

  const provider: PaymentProvider = {
    name: 'test',
    gateway: {
      provider: 'test',
      client: { publishableKey: null, sandboxUrl: null },
      async createIntent(req: CreateIntentRequest) {
        calls.push(`create ${req.idempotencyKey}`);
        const known = byKey.get(req.idempotencyKey);
        const id = known ?? `tp_${randomBytes(6).toString('hex')}`;
        if (!known) {
          byKey.set(req.idempotencyKey, id);
          intents.set(id, { id, amountMinor: req.amountMinor, currency: req.currency, owner: req.metadata, status: 'open', refunds: [] });
        }
        return { id, clientSecret: `${id}_secret` };
      },
      async cancelIntent(intentId: string) {
        calls.push(`cancel ${intentId}`);
        const intent = intents.get(intentId);
        if (!intent || intent.status === 'paid') throw new GatewayError(`intent ${intentId} cannot be cancelled`);
        intent.status = 'canceled';
      },
      async refund(req: RefundRequest) {
        calls.push(`refund ${req.intentId} ${req.idempotencyKey}`);
        const intent = intents.get(req.intentId);
        if (!intent || intent.status !== 'paid') throw new GatewayError(`intent ${req.intentId} was not paid`);
        if (!intent.refunds.includes(req.idempotencyKey)) intent.refunds.push(req.idempotencyKey);
        return { id: `tr_${req.idempotencyKey}` };
      },
      async retrieveIntent(intentId: string): Promise<IntentStatus> {
        calls.push(`retrieve ${intentId}`);
        const intent = intents.get(intentId);
        if (!intent) throw new GatewayError(`no intent ${intentId}`);
        const status = intent.status === 'paid' ? 'succeeded' : intent.status === 'canceled' ? 'canceled' : 'pending';
        return { status, intent: factsOf(intent) };
      },
    },
    webhooks: {
      provider: 'test',
      verify(rawBody: Buffer, header: (name: string) => string | undefined): PaymentEvent {
        const given = Buffer.from(header('x-test-signature') ?? '', 'hex');
        const wanted = Buffer.from(sign(rawBody.toString('utf8')), 'hex');
        if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new WebhookSignatureError('bad test signature');
        const body = JSON.parse(rawBody.toString('utf8')) as { id?: string; type?: string; intent?: string; reason?: string };
        const intent = body.intent ? intents.get(body.intent) : undefined;
        if (!body.id || !body.type) throw new MalformedEventError('no id or type');
        if (!intent) return { kind: 'unhandled', provider: 'test', eventId: body.id, type: body.type };
        const facts = factsOf(intent);
        if (body.type === 'paid') return { kind: 'payment_succeeded', provider: 'test', eventId: body.id, type: body.type, intent: facts };
        if (body.type === 'declined')
          return {
            kind: 'payment_failed',
            provider: 'test',
            eventId: body.id,
            type: body.type,
            intent: facts,
            reason: body.reason ?? 'declined',
          };
        return { kind: 'unhandled', provider: 'test', eventId: body.id, type: body.type };
      },
    },
  };

  /** What the provider would post: the event for an intent, signed. */
  const event = (type: 'paid' | 'declined', intentId: string, reason?: string) => {
    if (type === 'paid') intents.get(intentId)!.status = 'paid';
    const body = JSON.stringify({ id: `te_${randomBytes(6).toString('hex')}`, type, intent: intentId, reason });
    return { body, signature: sign(body) };
  };

  return { provider, intents, calls, event };
}
