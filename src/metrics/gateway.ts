import type { CreateIntentRequest, IntentStatus, PaymentGateway, PaymentIntentRef, RefundRequest } from '../domain/order/ports';
import type { AegisMetrics, GatewayOperation } from './registry';

/** The gateway port, counted and timed around any adapter, so the adapter itself knows nothing of metrics. */
export class MeteredGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly metrics: AegisMetrics,
  ) {}

  get provider() {
    return this.inner.provider;
  }

  get client() {
    return this.inner.client;
  }

  createIntent(req: CreateIntentRequest): Promise<PaymentIntentRef> {
    return this.observe('create_intent', () => this.inner.createIntent(req));
  }

  cancelIntent(intentId: string, idempotencyKey: string): Promise<void> {
    return this.observe('cancel_intent', () => this.inner.cancelIntent(intentId, idempotencyKey));
  }

  refund(req: RefundRequest): Promise<{ id: string }> {
    return this.observe('refund', () => this.inner.refund(req));
  }

  retrieveIntent(intentId: string): Promise<IntentStatus> {
    return this.observe('retrieve_intent', () => this.inner.retrieveIntent(intentId));
  }

  private async observe<T>(operation: GatewayOperation, call: () => Promise<T>): Promise<T> {
    const done = this.metrics.gatewayDuration.startTimer({ operation });
    try {
      const result = await call();
      this.metrics.gatewayCalls.inc({ operation, outcome: 'ok' });
      return result;
    } catch (err) {
      this.metrics.gatewayCalls.inc({ operation, outcome: 'error' });
      throw err;
    } finally {
      done();
    }
  }
}
