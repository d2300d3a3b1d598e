import type { OrderState } from '../entities';
import type { OrderEvent } from './order/process';

/** What the domain reports for an operator to count; src/metrics implements it on Prometheus. */
export interface DomainMetrics {
  /** Called once the move's transaction committed (src/domain/order/runner/run.ts, reportMoves). */
  orderTransition(event: OrderEvent, from: OrderState, to: OrderState): void;
}
