import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerAddress, type AddressValue, type Customer } from '../../entities';
import type { CustomerActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { inSite } from '../tx';
import { checkAddress, LIMITS, Validator } from '../validation';
import {
  addressView,
  customerView,
  lockedCustomer,
  MAX_ADDRESSES,
  savedAddress,
  type CustomerAddressView,
  type CustomerView,
} from './customers';

/**
 * Runs `work` on the signed-in customer, locked, in one transaction of its site. The site named must be the token's
 * (shield checks it too): another site's customer answers like a missing one.
 */
function onCustomer<T>(
  em: EntityManager,
  actor: CustomerActor,
  siteId: string,
  work: (tx: EntityManager, customer: Customer) => Promise<Result<T>>,
): Promise<Result<T>> {
  if (siteId !== actor.siteId) return Promise.resolve(notFound('Customer'));
  return inSite(em, siteId, async (tx) => {
    const customer = await lockedCustomer(tx, actor.customerId);
    return customer ? work(tx, customer) : notFound('Customer');
  });
}

export function updateCustomerProfile(
  em: EntityManager,
  deps: DomainDeps,
  actor: CustomerActor,
  input: { siteId: string; name?: string | null },
): Promise<Result<CustomerView>> {
  const v = new Validator();
  const name = v.text(['input', 'name'], input.name, LIMITS.name, true);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return onCustomer(em, actor, input.siteId, async (tx, customer) => {
    customer.name = name;
    audit(tx, actor, deps.clock.now(), {
      siteId: customer.siteId,
      action: 'customer.updateProfile',
      entity: 'Customer',
      entityId: customer.id,
    });
    return ok(await customerView(tx, customer));
  });
}

/** A saved address, up to MAX_ADDRESSES per customer (the customer row is locked, so concurrent adds count). */
export function addCustomerAddress(
  em: EntityManager,
  deps: DomainDeps,
  actor: CustomerActor,
  input: { siteId: string; address: AddressValue },
): Promise<Result<{ address: CustomerAddressView; customer: CustomerView }>> {
  const v = new Validator();
  const value = checkAddress(v, ['input'], input.address);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return onCustomer(em, actor, input.siteId, async (tx, customer) => {
    if ((await tx.count(CustomerAddress, { customerId: customer.id })) >= MAX_ADDRESSES)
      return refuse(ErrorCode.VALIDATION, `A customer keeps at most ${MAX_ADDRESSES} addresses; remove one first`, ['input']);
    const now = deps.clock.now();
    const address = new CustomerAddress(customer.siteId, customer.id, value, now);
    tx.persist(address);
    audit(tx, actor, now, { siteId: customer.siteId, action: 'customer.addAddress', entity: 'CustomerAddress', entityId: address.id });
    await tx.flush();
    return ok({ address: addressView(address), customer: await customerView(tx, customer) });
  });
}

export function removeCustomerAddress(
  em: EntityManager,
  deps: DomainDeps,
  actor: CustomerActor,
  input: { siteId: string; addressId: string },
): Promise<Result<CustomerView>> {
  return onCustomer(em, actor, input.siteId, async (tx, customer) => {
    const address = await savedAddress(tx, customer.siteId, customer.id, input.addressId);
    if (!address) return notFound('Address', ['addressId']);
    tx.remove(address);
    audit(tx, actor, deps.clock.now(), {
      siteId: customer.siteId,
      action: 'customer.removeAddress',
      entity: 'CustomerAddress',
      entityId: address.id,
    });
    await tx.flush();
    return ok(await customerView(tx, customer));
  });
}
