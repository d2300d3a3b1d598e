import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { DomainMetrics } from '../domain/metrics';
import type { OrderEvent } from '../domain/order/process';
import type { OrderState } from '../entities';

/** What became of one delivery to POST /webhooks/stripe (`applied`: it moved an order, to CONFIRMED or PAYMENT_FAILED). */
export type WebhookOutcome = 'signature_rejected' | 'duplicate' | 'applied' | 'unmatched' | 'unhandled' | 'failed';
export type GatewayOperation = 'create_intent' | 'cancel_intent' | 'refund' | 'retrieve_intent';

/**
 * One app instance's metrics, on a Registry of its own: several servers may share a process (the tests do), and the
 * global default registry would mix them. Every label takes its values from a closed set, never from a request.
 */
export class AegisMetrics implements DomainMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'aegis_http_request_duration_seconds',
    help: 'HTTP answers by method, matched route (or unmatched) and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'aegis_graphql_operation_duration_seconds',
    help: 'GraphQL operations by operation name, type and whether they answered errors',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly orderTransitions = new Counter({
    name: 'aegis_order_transitions_total',
    help: 'Order state moves by event',
    labelNames: ['event', 'from', 'to'] as const,
    registers: [this.registry],
  });
  readonly webhookEvents = new Counter({
    name: 'aegis_webhook_events_total',
    help: 'Gateway webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly gatewayCalls = new Counter({
    name: 'aegis_gateway_calls_total',
    help: 'Payment gateway calls by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly gatewayDuration = new Histogram({
    name: 'aegis_gateway_call_duration_seconds',
    help: 'Payment gateway call durations by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly aiCalls = new Counter({
    name: 'aegis_ai_calls_total',
    help: 'AI provider calls by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'aegis_alerts_total',
    help: 'Alerts raised by kind, delivered or suppressed by the rate limit',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  orderTransition(event: OrderEvent, from: OrderState, to: OrderState): void {
    this.orderTransitions.inc({ event, from, to });
  }

  webhookEvent(outcome: WebhookOutcome): void {
    this.webhookEvents.inc({ outcome });
  }
}
