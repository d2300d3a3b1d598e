import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { Order } from '../../entities';
import type { Actor } from '../actor';
import { ErrorCode, notFound, refuse } from '../errors';
import { selectEntity } from '../sql';
import { isUuid } from '../tx';
import { LIMITS } from '../validation';
import { nextState } from './transitions';

export type VisitorActor = Extract<Actor, { kind: 'visitor' }>;

/** Lines one cart may hold (one per product): bounds every read of a cart's lines (the query cost counts on it). */
export const MAX_CART_LINES = 100;

/** A new unguessable cart token; only its hash is stored. */
export function newCartToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashCartToken(token) };
}

export const hashCartToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The visitor's own order, row-locked for the rest of the transaction. */
export function lockVisitorOrder(tx: EntityManager, visitor: VisitorActor, orderId?: string) {
  if (orderId === undefined) {
    return selectEntity(tx, Order, `select * from orders where cart_token_hash = ? for update`, [visitor.cartTokenHash]);
  }
  if (!isUuid(orderId)) return Promise.resolve(null);
  return selectEntity(tx, Order, `select * from orders where id = ? and cart_token_hash = ? for update`, [orderId, visitor.cartTokenHash]);
}

export function lockOrder(tx: EntityManager, orderId: string) {
  if (!isUuid(orderId)) return Promise.resolve(null);
  return selectEntity(tx, Order, `select * from orders where id = ? for update`, [orderId]);
}

/** Locks the visitor's cart and checks it can still be edited (the table's DRAFT self-loop). */
export async function lockEditableCart(tx: EntityManager, visitor: VisitorActor) {
  const order = await lockVisitorOrder(tx, visitor);
  if (!order) return notFound('Cart');
  if (!nextState(order.state, 'editCart', visitor.kind)) {
    return refuse(ErrorCode.INVALID_TRANSITION, `Order is ${order.state}: the cart can no longer be changed`);
  }
  return { ok: true as const, value: order };
}

/** CONTRACT: an order's total fits in Int (its column and the GraphQL type). Every change of a cart's total goes through here. */
export function boundedTotal(totalMinor: number) {
  if (totalMinor > LIMITS.maxInt) return refuse(ErrorCode.VALIDATION, 'The order total is too large', ['quantity']);
  return { ok: true as const, value: totalMinor };
}
