import type { EntityManager } from '@mikro-orm/postgresql';
import type { AddressValue, Order } from '../../../entities';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ok, type Result } from '../../errors';
import { LIMITS, Validator } from '../../validation';
import { editCart, type VisitorActor } from '../cart';

export interface CheckoutDetails {
  email: string;
  shippingAddress: AddressValue;
  billingAddress: AddressValue;
}

function address(v: Validator, field: string, a: AddressValue): AddressValue {
  const f = (name: string) => ['input', field, name];
  return {
    name: v.text(f('name'), a.name, LIMITS.name) ?? '',
    line1: v.text(f('line1'), a.line1, LIMITS.name) ?? '',
    line2: v.text(f('line2'), a.line2, LIMITS.name, true),
    city: v.text(f('city'), a.city, LIMITS.name) ?? '',
    postalCode: v.text(f('postalCode'), a.postalCode, 20) ?? '',
    country: v.country(f('country'), a.country),
  };
}

/** DRAFT -> DRAFT: the email and addresses checkout needs. */
export function setCheckoutDetails(
  em: EntityManager,
  deps: DomainDeps,
  visitor: VisitorActor,
  input: CheckoutDetails & { siteId: string },
): Promise<Result<Order>> {
  const v = new Validator();
  const details = {
    email: v.email(['input', 'email'], input.email),
    shippingAddress: address(v, 'shippingAddress', input.shippingAddress),
    billingAddress: address(v, 'billingAddress', input.billingAddress),
  };
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return editCart(em, deps, visitor, input.siteId, async (tx, order, facts) => {
    Object.assign(order, details);
    order.updatedAt = facts.now;
    audit(tx, visitor, order.updatedAt, { siteId: order.siteId, action: 'order.setCheckoutDetails', entity: 'Order', entityId: order.id });
    return ok(order);
  });
}
