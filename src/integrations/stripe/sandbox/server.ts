/**
 * The Stripe sandbox's HTTP server: Stripe's authentication, idempotency and error shapes over the routes,
 * CORS for browsers, injected failures for tests, and the events its requests cause.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDeliverer } from './delivery';
import { buildEvent } from './events';
import { parseForm, type Params } from './form';
import { IdempotencyMemory } from './idempotency';
import { markDeclined, markSucceeded, type Caller } from './payment-intents';
import { rand, stripeError, type Reply } from './replies';
import { publishableMayCall, route } from './routes';
import { SandboxStore, type Emit } from './store';
import type {
  FailNextMatch,
  FailNextOptions,
  RecordedRequest,
  SandboxEvent,
  SandboxOptions,
  SandboxPaymentIntent,
  StripeSandbox,
  WebhookEndpoint,
} from './types';

interface FailRule extends FailNextMatch {
  status: number;
  code?: string;
  message: string;
  remaining: number;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, idempotency-key, stripe-version',
  'access-control-expose-headers': 'request-id, idempotency-key, idempotent-replayed, stripe-sandbox',
  'access-control-max-age': '600',
};
// Marks every answer as the sandbox's, so nobody mistakes it for Stripe's.
const SANDBOX_HEADER = { 'stripe-sandbox': 'aegis' };

function callerOf(authorization: string | undefined): Caller | null {
  if (/^Bearer (sk|rk)_/.test(authorization ?? '')) return 'secret';
  if (/^Bearer pk_/.test(authorization ?? '')) return 'publishable';
  return null;
}

export class StripeSandboxServer implements StripeSandbox {
  port: number;
  readonly host: string;
  readonly requests: RecordedRequest[] = [];
  private readonly store = new SandboxStore();
  private readonly idempotency = new IdempotencyMemory();
  private readonly failRules: FailRule[] = [];
  private readonly deliverer: WebhookDeliverer;
  private readonly log: (line: object) => void;
  private webhook: WebhookEndpoint | undefined;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(opts: SandboxOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? 0;
    this.webhook = opts.webhook;
    this.log = opts.log ?? (() => {});
    this.deliverer = new WebhookDeliverer(
      {
        firstDelayMs: opts.retry?.firstDelayMs ?? 1000,
        maxDelayMs: opts.retry?.maxDelayMs ?? 60_000,
        maxAttempts: opts.retry?.maxAttempts ?? 8,
      },
      this.log,
    );
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }
  get paymentIntents() {
    return this.store.paymentIntents;
  }
  get disputes() {
    return this.store.disputes;
  }
  get refunds() {
    return this.store.refunds;
  }
  get events() {
    return this.store.events;
  }
  get deliveries() {
    return this.deliverer.deliveries;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await this.deliverer.close();
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // The SDK's http.Agent keeps sockets alive; without this, close() waits for them to time out.
      this.server.closeAllConnections();
    });
  }

  setWebhook(url: string, secret: string): void {
    this.webhook = { url, secret };
  }

  settled(): Promise<void> {
    return this.deliverer.settled();
  }

  reset(): void {
    this.requests.length = 0;
    this.store.clear();
    this.deliverer.reset();
    this.idempotency.clear();
    this.failRules.length = 0;
  }

  succeed(piId: string): SandboxPaymentIntent {
    const pi = this.intent(piId);
    if (pi.status === 'canceled') throw new Error(`stripe sandbox: ${piId} is canceled and cannot succeed`);
    markSucceeded(this.store, pi);
    return structuredClone(pi);
  }

  fail(piId: string, reason = 'Your card was declined.'): SandboxPaymentIntent {
    const pi = this.intent(piId);
    markDeclined(pi, { paid: false, declineCode: 'generic_decline', message: reason });
    return structuredClone(pi);
  }

  failNext(match: FailNextMatch, opts: FailNextOptions = {}): void {
    const status = opts.status ?? 500;
    this.failRules.push({
      method: match.method?.toUpperCase(),
      path: match.path,
      status,
      code: opts.code,
      message: opts.message ?? `Simulated ${status} from the Stripe sandbox`,
      remaining: opts.count ?? 1,
    });
  }

  recover(): void {
    this.failRules.length = 0;
  }

  event(type: string, object: unknown, id?: string): SandboxEvent {
    return buildEvent(type, object, { id });
  }

  private intent(piId: string): SandboxPaymentIntent {
    const pi = this.store.paymentIntents.get(piId);
    if (!pi) throw new Error(`stripe sandbox: unknown PaymentIntent ${piId}`);
    return pi;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, ...SANDBOX_HEADER }).end();
      return;
    }
    const url = new URL(req.url ?? '/', this.url);
    const key = req.headers['idempotency-key'] as string | undefined;
    const requestId = `req_${rand()}`;
    const emitted: [string, unknown][] = [];
    let params: Params = {};
    let result: { reply: Reply; replayed?: boolean };
    try {
      req.setEncoding('utf8');
      let body = '';
      for await (const chunk of req) body += chunk as string;
      params = parseForm([url.search.slice(1), body].filter(Boolean).join('&'));
      const emit: Emit = (type, object) => void emitted.push([type, object]);
      result = this.dispatch(method, url.pathname, params, key, req.headers.authorization, emit);
    } catch (err) {
      emitted.length = 0;
      result = { reply: stripeError(500, undefined, `stripe sandbox crashed: ${(err as Error).message}`) };
    }
    const { reply, replayed } = result;
    this.requests.push({ method, path: url.pathname, ...(key !== undefined && { idempotencyKey: key }), params, status: reply.status });
    this.log({ sandbox: 'stripe', action: 'request', requestId, method, path: url.pathname, status: reply.status });
    for (const [type, object] of emitted) this.publish(type, object, { id: requestId, idempotency_key: key ?? null });
    res.writeHead(reply.status, {
      ...CORS,
      ...SANDBOX_HEADER,
      'content-type': 'application/json',
      'request-id': requestId,
      ...(key !== undefined && { 'idempotency-key': key }),
      ...(replayed && { 'idempotent-replayed': 'true' }),
    });
    res.end(reply.body);
  }

  /** Keeps the event and, when an endpoint is configured, delivers it. */
  private publish(type: string, object: unknown, request: SandboxEvent['request']): void {
    const endpoint = this.webhook;
    const event = buildEvent(type, object, { pendingWebhooks: endpoint ? 1 : 0, request });
    this.store.events.push(event);
    if (endpoint) this.deliverer.deliver(event, endpoint);
  }

  private dispatch(
    method: string,
    path: string,
    params: Params,
    key: string | undefined,
    authorization: string | undefined,
    emit: Emit,
  ): { reply: Reply; replayed?: boolean } {
    const caller = callerOf(authorization);
    if (caller === null) return { reply: stripeError(401, 'api_key_invalid', 'Invalid API Key provided.') };
    if (caller === 'publishable' && !publishableMayCall(method, path)) {
      return {
        reply: stripeError(
          401,
          'secret_key_required',
          'This API call cannot be made with a publishable API key. Please use a secret API key.',
        ),
      };
    }

    const ruleIndex = this.failRules.findIndex(
      (r) => (!r.method || r.method === method) && (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (ruleIndex >= 0) {
      const rule = this.failRules[ruleIndex];
      if (--rule.remaining === 0) this.failRules.splice(ruleIndex, 1);
      return { reply: stripeError(rule.status, rule.code, rule.message) };
    }

    const execute = () => route(this.store, method, path, params, caller, emit);
    // Stripe only applies idempotency to POSTs.
    if (method !== 'POST' || key === undefined) return { reply: execute() };
    return this.idempotency.run(key, `${method} ${path}`, params, execute);
  }
}
