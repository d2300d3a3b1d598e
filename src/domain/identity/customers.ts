import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, CustomerAddress } from '../../entities';
import type { CustomerActor } from '../actor';
import { afterCursor, decodeCursor, encodeCursor, type Page } from '../pagination';
import { isUuid, readInSite } from '../tx';
import { LIMITS } from '../validation';
import type { CustomerTokenClaims } from './tokens';

/** Saved addresses per customer: a bound the cost of `Customer.addresses` relies on. */
export const MAX_ADDRESSES = 20;

/** `customers`' page: 20 by default, so a page with every address (20 each) stays within the query cost. */
export const CUSTOMER_PAGE = { default: 20, max: LIMITS.pageSize } as const;

export interface CustomerAddressView {
  id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
  createdAt: Date;
}

/** What anyone may be shown of a customer: never its password hash, token version or reset tokens. */
export interface CustomerView {
  id: string;
  siteId: string;
  email: string;
  name: string | null;
  disabled: boolean;
  createdAt: Date;
  addresses: CustomerAddressView[];
}

export const addressView = (a: CustomerAddress): CustomerAddressView => ({
  id: a.id,
  name: a.name,
  line1: a.line1,
  line2: a.line2,
  city: a.city,
  postalCode: a.postalCode,
  country: a.country,
  createdAt: a.createdAt,
});

/** The views of customers of the transaction's site, their addresses read in one query. */
export async function customerViews(tx: EntityManager, customers: Customer[]): Promise<CustomerView[]> {
  const addresses = customers.length
    ? await tx.find(CustomerAddress, { customerId: { $in: customers.map((c) => c.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  return customers.map((c) => ({
    id: c.id,
    siteId: c.siteId,
    email: c.email,
    name: c.name,
    disabled: c.disabled,
    createdAt: c.createdAt,
    addresses: addresses.filter((a) => a.customerId === c.id).map(addressView),
  }));
}

export const customerView = async (tx: EntityManager, customer: Customer): Promise<CustomerView> =>
  (await customerViews(tx, [customer]))[0];

/**
 * The signed-in customer, read from the database on every request (as admins are) so a logout, a reset or a disable
 * holds at once: a token of another version, of a disabled customer, or naming a customer its site does not hold is refused.
 */
export async function loadCustomerActor(
  em: EntityManager,
  { customerId, siteId, version }: CustomerTokenClaims,
): Promise<CustomerActor | null> {
  if (!isUuid(customerId) || !isUuid(siteId)) return null;
  return readInSite(em, siteId, async (tx) => {
    const customer = await tx.findOne(Customer, { id: customerId });
    if (!customer || customer.disabled || customer.tokenVersion !== version) return null;
    return { kind: 'customer' as const, customerId: customer.id, siteId: customer.siteId, email: customer.email };
  });
}

/** In a transaction bound to the site: the customer, locked, so that concurrent changes (a version bump, the address cap) each count. */
export const lockedCustomer = (tx: EntityManager, customerId: string) =>
  isUuid(customerId) ? tx.findOne(Customer, { id: customerId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : Promise.resolve(null);

/** In a transaction bound to `siteId`: one saved address of the customer (checkout may take it by id), or null. */
export function savedAddress(tx: EntityManager, siteId: string, customerId: string, addressId: string): Promise<CustomerAddress | null> {
  if (!isUuid(addressId) || !isUuid(customerId)) return Promise.resolve(null);
  return tx.findOne(CustomerAddress, { id: addressId, siteId, customerId });
}

export function getCustomer(em: EntityManager, siteId: string, customerId: string): Promise<CustomerView | null> {
  if (!isUuid(customerId)) return Promise.resolve(null);
  return readInSite(em, siteId, async (tx) => {
    const customer = await tx.findOne(Customer, { id: customerId });
    return customer ? customerView(tx, customer) : null;
  });
}

/** A site's customers, oldest first; an invalid cursor or site gives null (an empty connection). */
export async function listCustomers(
  em: EntityManager,
  siteId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<CustomerView> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = Math.max(1, Math.min(args.first ?? CUSTOMER_PAGE.default, CUSTOMER_PAGE.max));
  const page = await readInSite(em, siteId, async (tx) => {
    const rows = await tx.find(Customer, afterCursor(cursor), { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    return { views: await customerViews(tx, rows.slice(0, limit)), hasNextPage: rows.length > limit };
  });
  if (!page) return null;
  return { items: page.views, hasNextPage: page.hasNextPage, cursorOf: (c) => encodeCursor(c.createdAt, c.id) };
}
