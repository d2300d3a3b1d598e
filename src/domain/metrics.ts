import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderState } from '../entities';
import type { OrderEvent } from './order/transitions';

/** What the domain reports for an operator to count; src/metrics implements it on Prometheus. */
export interface DomainMetrics {
  orderTransition(event: OrderEvent, from: OrderState, to: OrderState): void;
}

// applyTransition is handed the transaction, not the deps: the port goes with the database instead. Every fork of
// one ORM shares its configuration object, and each app instance has its own ORM (tests run several in a process).
const byDatabase = new WeakMap<object, DomainMetrics>();

/** Wiring: the moves made through `em` and its forks are reported to `metrics`. */
export function reportMetrics(em: EntityManager, metrics: DomainMetrics): void {
  byDatabase.set(em.config, metrics);
}

/** None for an EntityManager no app wired (unit tests, scripts). */
export function metricsOf(em: EntityManager): DomainMetrics | undefined {
  return em.config && byDatabase.get(em.config);
}
