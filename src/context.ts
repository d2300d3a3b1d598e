import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { AdminActor, CustomerActor } from './domain/actor';
import type { DomainDeps } from './domain/deps';
import { loadAdminActor } from './domain/identity/admins';
import { loadCustomerActor } from './domain/identity/customers';
import { hashCartToken, type VisitorActor } from './domain/order/cart';
import { loadOrderDetails, type OrderDetailPart, type OrderDetails } from './domain/order/queries';
import type { Orm } from './db/orm';
import { requestLogger } from './logger';

export type { AdminActor, CustomerActor };

/** One per request: a fresh EntityManager fork (no identity map shared across requests or tenants) and the caller. */
export interface Context {
  em: EntityManager;
  /** The app's deps, with a logger of this request: its lines, the domain's included, carry its id and actor. */
  deps: DomainDeps;
  requestId: string;
  clientKey: string;
  admin: AdminActor | null;
  visitor: VisitorActor | null;
  /** A signed-in customer (a customer token: its own audience), of one site; never together with an admin. */
  customer: CustomerActor | null;
  /** Credentials were presented but are missing, malformed, tampered, expired, revoked, or of a disabled admin or customer. */
  authFailed: boolean;
  /** Loads one part of an order's details; the parts asked for in one tick are read in one transaction. */
  orderDetail<P extends OrderDetailPart>(siteId: string, part: P, orderId: string): Promise<OrderDetails[P]>;
  /** What a command already read in its own transaction (the lines it left): the fields asking for it read nothing. */
  knownOrderDetail<P extends OrderDetailPart>(siteId: string, part: P, orderId: string, value: OrderDetails[P]): void;
}

export interface RequestFacts {
  requestId: string;
  clientKey: string;
  authorization?: string;
  cartToken?: string;
}

export async function buildContext(orm: Orm, deps: DomainDeps, req: RequestFacts): Promise<Context> {
  const em = orm.em.fork() as EntityManager;
  let admin: AdminActor | null = null;
  let customer: CustomerActor | null = null;
  let authFailed = false;
  if (req.authorization !== undefined) {
    const [scheme, token] = req.authorization.split(' ');
    // The token's audience says whose it is: an admin token never loads a customer, nor a customer token an admin.
    const verified = scheme === 'Bearer' && token ? await deps.tokens.verify(token, deps.clock.now()) : null;
    if (verified?.audience === 'admin') admin = await loadAdminActor(em, verified.claims);
    else if (verified?.audience === 'customer') customer = await loadCustomerActor(em, verified.claims);
    authFailed = !admin && !customer;
  }
  const cartToken = req.cartToken?.trim();
  const visitor: VisitorActor | null = cartToken ? { kind: 'visitor', cartTokenHash: hashCartToken(cartToken) } : null;
  const log = requestLogger(deps.log, {
    requestId: req.requestId,
    actor: admin ? `admin:${admin.adminId}` : customer ? `customer:${customer.customerId}` : visitor ? 'visitor' : 'anonymous',
  });
  const loaders = new Map<string, DataLoader<string, OrderDetails[OrderDetailPart]>>();
  const loaderOf = (siteId: string) => {
    let loader = loaders.get(siteId);
    if (!loader) {
      // Keys are "part|orderId": sibling fields asked in one tick share one read of only the parts they need.
      loader = new DataLoader(async (keys: readonly string[]) => {
        const asked = keys.map((k) => k.split('|') as [OrderDetailPart, string]);
        const byId = await loadOrderDetails(
          em,
          siteId,
          asked.map(([, id]) => id),
          new Set(asked.map(([part]) => part)),
        );
        return asked.map(([part, id]) => byId.get(id)![part]);
      });
      loaders.set(siteId, loader);
    }
    return loader;
  };
  return {
    em,
    deps: { ...deps, log },
    requestId: req.requestId,
    clientKey: req.clientKey,
    admin,
    visitor,
    customer,
    authFailed,
    orderDetail(siteId, part, orderId) {
      return loaderOf(siteId).load(`${part}|${orderId}`) as never;
    },
    knownOrderDetail(siteId, part, orderId, value) {
      loaderOf(siteId).prime(`${part}|${orderId}`, value);
    },
  };
}
