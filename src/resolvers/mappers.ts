import type { Result, UserError } from '../domain/errors';
import type { Page } from '../domain/pagination';
import type * as E from '../entities';
import type { AuditEntry, Order, Product } from '../schema/types';

export const toProduct = (p: E.Product): Product => ({
  id: p.id,
  siteId: p.siteId,
  sku: p.sku,
  name: p.name,
  priceMinor: p.priceMinor,
  currency: p.currency,
  stockOnHand: p.stockOnHand,
  available: availableOf(p),
});

/** On hand less reserved; null for an untracked product. */
export const availableOf = (p: E.Product): number | null => (p.stockOnHand === null ? null : p.stockOnHand - p.stockReserved);

export const toOrder = (o: E.Order): Order => ({
  id: o.id,
  siteId: o.siteId,
  state: o.state,
  currency: o.currency,
  totalMinor: o.totalMinor,
  email: o.email,
  shippingAddress: o.shippingAddress ? { ...o.shippingAddress, line2: o.shippingAddress.line2 ?? null } : null,
  billingAddress: o.billingAddress ? { ...o.billingAddress, line2: o.billingAddress.line2 ?? null } : null,
  failureReason: o.failureReason,
  recoveryDeadline: o.recoveryDeadline,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

export const toAuditEntry = (e: E.AuditEntry): AuditEntry => ({
  id: e.id,
  at: e.at,
  actor: e.actor,
  action: e.action,
  entity: e.entity,
  entityId: e.entityId,
  detail:
    [e.fromState || e.toState ? `${e.fromState ?? '—'} -> ${e.toState}` : null, e.reason, e.detail].filter(Boolean).join('; ') || null,
});

/** `{ [key]: value, userErrors: [] }` or `{ [key]: null, userErrors }`. */
export function payload<K extends string, T, V>(
  key: K,
  result: Result<T>,
  map: (v: T) => V,
): { [P in K]: V | null } & { userErrors: UserError[] } {
  return (result.ok ? { [key]: map(result.value), userErrors: [] } : { [key]: null, userErrors: result.errors }) as never;
}

/** A Relay-style connection from a page; an invalid cursor or site gives an empty one. */
export function connection<T, N>(page: Page<T> | null, map: (item: T) => N) {
  const items = page?.items ?? [];
  return {
    edges: items.map((item) => ({ cursor: page!.cursorOf(item), node: map(item) })),
    pageInfo: { hasNextPage: page?.hasNextPage ?? false, endCursor: items.length ? page!.cursorOf(items[items.length - 1]) : null },
  };
}
