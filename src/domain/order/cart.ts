import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import type { Order } from '../../entities';
import type { Actor } from '../actor';
import type { DomainDeps } from '../deps';
import { ErrorCode, refuse, type Result } from '../errors';
import { LIMITS } from '../validation';
import type { OrderFacts } from './facts';
import { lockVisitorOrder } from './repository';
import { runOrderEvent } from './runner/run';

export type VisitorActor = Extract<Actor, { kind: 'visitor' }>;

/** Lines one cart may hold (one per product): bounds every read of a cart's lines (the query cost counts on it). */
export const MAX_CART_LINES = 100;

/** A new unguessable cart token; only its hash is stored. */
export function newCartToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashCartToken(token) };
}

export const hashCartToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** CONTRACT: an order's total fits in Int (its column and the GraphQL type). Every change of a cart's total goes through here. */
export function boundedTotal(totalMinor: number) {
  if (totalMinor > LIMITS.maxInt) return refuse(ErrorCode.VALIDATION, 'The order total is too large', ['quantity']);
  return { ok: true as const, value: totalMinor };
}

/** A cart edit: the table's DRAFT self-loop (editCart) on the visitor's own cart, row-locked; `change` is the edit. */
export async function editCart(
  em: EntityManager,
  deps: DomainDeps,
  visitor: VisitorActor,
  siteId: string,
  change: (tx: EntityManager, cart: Order, facts: OrderFacts) => Promise<Result<Order>>,
): Promise<Result<Order>> {
  const run = await runOrderEvent(em, deps, {
    siteId,
    event: 'editCart',
    actor: visitor,
    find: (tx) => lockVisitorOrder(tx, siteId, visitor.cartTokenHash),
    notFound: { what: 'Cart' },
    change: (tx, order, facts) => change(tx, order!, facts),
  });
  return run.ok ? { ok: true, value: run.value.order } : run;
}
