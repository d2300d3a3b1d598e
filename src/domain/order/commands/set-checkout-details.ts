import type { EntityManager } from '@mikro-orm/postgresql';
import type { AddressValue, Order } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, type Result, type UserError } from '../../errors';
import { checkAddress, Validator } from '../../validation';
import { editCart, recordCartEdit, type Shopper } from '../cart';
import { savedAddress } from '../../identity/customers';

/**
 * Each address is given once: typed in (`shippingAddress`) or, for a signed-in customer, one of their saved
 * addresses by id (`shippingAddressId`). Both or neither is a VALIDATION error; no precedence to remember.
 */
export interface CheckoutDetails {
  email: string;
  shippingAddress?: AddressValue | null;
  billingAddress?: AddressValue | null;
  shippingAddressId?: string | null;
  billingAddressId?: string | null;
}

type Which = 'shippingAddress' | 'billingAddress';

/** The address typed in (validated), or the saved address's id to read in the edit's transaction. */
type Given = { typed: AddressValue } | { savedId: string };

function given(v: Validator, errors: UserError[], shopper: Shopper, which: Which, input: CheckoutDetails): Given | null {
  const typed = input[which];
  const savedId = input[`${which}Id`];
  const field = ['input', savedId == null ? which : `${which}Id`];
  if ((typed == null) === (savedId == null)) {
    errors.push({ code: ErrorCode.VALIDATION, message: `Give either ${which} or ${which}Id`, field });
    return null;
  }
  if (savedId != null && shopper.kind !== 'customer') {
    errors.push({ code: ErrorCode.VALIDATION, message: 'Saved addresses are for signed-in customers', field });
    return null;
  }
  return typed != null ? { typed: checkAddress(v, ['input', which], typed) } : { savedId: savedId! };
}

/** DRAFT -> DRAFT: the email and addresses checkout needs. */
export function setCheckoutDetails(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  input: CheckoutDetails & { siteId: string },
): Promise<Result<Order>> {
  const v = new Validator();
  const errors: UserError[] = [];
  const email = v.email(['input', 'email'], input.email);
  const shipping = given(v, errors, shopper, 'shippingAddress', input);
  const billing = given(v, errors, shopper, 'billingAddress', input);
  errors.push(...v.errors);
  if (errors.length) return Promise.resolve({ ok: false, errors });
  return editCart(em, deps, shopper, input.siteId, async (tx, order, facts) => {
    // A saved address is read in the cart's transaction: it must be the signed-in customer's, of this site.
    const resolve = async (which: Which, g: Given): Promise<Result<AddressValue>> => {
      if ('typed' in g) return ok(g.typed);
      const saved = shopper.kind === 'customer' ? await savedAddress(tx, order.siteId, shopper.customerId, g.savedId) : null;
      if (!saved) return notFound('Saved address', ['input', `${which}Id`]);
      const { name, line1, line2, city, postalCode, country } = saved;
      return ok({ name, line1, line2, city, postalCode, country });
    };
    const shippingAddress = await resolve('shippingAddress', shipping!);
    if (!shippingAddress.ok) return shippingAddress;
    const billingAddress = await resolve('billingAddress', billing!);
    if (!billingAddress.ok) return billingAddress;
    Object.assign(order, { email, shippingAddress: shippingAddress.value, billingAddress: billingAddress.value });
    recordCartEdit(tx, shopper, order, facts.now, 'order.setCheckoutDetails');
    return ok(order);
  });
}
