/**
 * Delivers the sandbox's events to the webhook endpoint as Stripe does: a signed JSON POST, re-signed on each
 * attempt, retried with bounded exponential backoff until a 2xx or maxAttempts.
 */
import http from 'node:http';
import https from 'node:https';
import { signedWebhook } from './events';
import type { RetryPolicy, SandboxDelivery, SandboxEvent, WebhookEndpoint } from './types';

const ATTEMPT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks) aegis-stripe-sandbox';

/** POSTs `body` and resolves with the answer's status; rejects on a network error or timeout. */
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    // agent: false, so no kept-alive socket outlives the attempt.
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: ATTEMPT_TIMEOUT_MS,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer in ${ATTEMPT_TIMEOUT_MS} ms`)));
    req.once('error', reject);
    req.end(body);
  });
}

export class WebhookDeliverer {
  readonly deliveries: SandboxDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly log: (line: object) => void,
  ) {}

  /** Starts delivering `event` to `endpoint`, the endpoint configured when the event happened. */
  deliver(event: SandboxEvent, endpoint: WebhookEndpoint): void {
    if (this.closed) return;
    const delivery: SandboxDelivery = {
      eventId: event.id,
      type: event.type,
      url: endpoint.url,
      attempts: 0,
      lastStatus: null,
      lastError: null,
      delivered: false,
      gaveUp: false,
    };
    this.deliveries.push(delivery);
    this.attempt(delivery, JSON.stringify(event), endpoint);
  }

  settled(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets the deliveries; their pending retries are cancelled, attempts in flight finish unrecorded. */
  reset(): void {
    this.cancelRetries();
    this.deliveries.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelRetries();
    await Promise.allSettled([...this.inFlight]);
    this.notifyIfIdle();
  }

  private attempt(delivery: SandboxDelivery, payload: string, endpoint: WebhookEndpoint): void {
    const run = this.send(delivery, payload, endpoint).finally(() => {
      this.inFlight.delete(run);
      this.notifyIfIdle();
    });
    this.inFlight.add(run);
  }

  private async send(delivery: SandboxDelivery, payload: string, endpoint: WebhookEndpoint): Promise<void> {
    delivery.attempts += 1;
    const line = { sandbox: 'stripe', eventId: delivery.eventId, type: delivery.type, url: endpoint.url, attempt: delivery.attempts };
    try {
      // A fresh timestamp per attempt, as Stripe's, so a late retry still passes the receiver's tolerance.
      delivery.lastStatus = await post(new URL(endpoint.url), payload, {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
        'stripe-signature': signedWebhook(payload, endpoint.secret),
      });
      delivery.lastError = null;
    } catch (err) {
      delivery.lastStatus = null;
      delivery.lastError = (err as Error).message;
    }
    const status = delivery.lastStatus;
    if (status !== null && status >= 200 && status < 300) {
      delivery.delivered = true;
      this.log({ ...line, action: 'webhook_delivered', status });
      return;
    }
    const outcome = { ...line, status, error: delivery.lastError };
    if (delivery.attempts >= this.policy.maxAttempts) {
      delivery.gaveUp = true;
      this.log({ ...outcome, action: 'webhook_given_up' });
      return;
    }
    if (this.closed || !this.deliveries.includes(delivery)) return;
    const delayMs = Math.min(this.policy.firstDelayMs * 2 ** (delivery.attempts - 1), this.policy.maxDelayMs);
    this.log({ ...outcome, action: 'webhook_retry', retryInMs: delayMs });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(delivery, payload, endpoint);
    }, delayMs);
    // A pending retry must not keep the process alive.
    timer.unref();
    this.timers.add(timer);
  }

  private cancelRetries(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.notifyIfIdle();
  }

  private idle(): boolean {
    return this.timers.size === 0 && this.inFlight.size === 0;
  }

  private notifyIfIdle(): void {
    if (this.idle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
