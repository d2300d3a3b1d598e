import type { EntityManager } from '@mikro-orm/postgresql';
import type { AdminActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { notFound, ok, type Result } from '../errors';
import { inSite } from '../tx';
import { customerView, lockedCustomer, type CustomerView } from './customers';

/**
 * An admin of the site disables (or re-enables) a customer. Disabling refuses its tokens from the next request on,
 * and re-enabling does not revive them: either way the token version moves.
 */
export function setCustomerDisabled(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: { siteId: string; customerId: string; disabled: boolean },
): Promise<Result<CustomerView>> {
  return inSite(em, input.siteId, async (tx) => {
    const customer = await lockedCustomer(tx, input.customerId);
    if (!customer) return notFound('Customer', ['customerId']);
    if (customer.disabled !== input.disabled) customer.tokenVersion++;
    customer.disabled = input.disabled;
    audit(tx, admin, deps.clock.now(), {
      siteId: customer.siteId,
      action: input.disabled ? 'customer.disable' : 'customer.enable',
      entity: 'Customer',
      entityId: customer.id,
    });
    return ok(await customerView(tx, customer));
  });
}
