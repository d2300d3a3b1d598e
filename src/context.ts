import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { AdminActor } from './domain/actor';
import type { DomainDeps } from './domain/deps';
import { loadAdminActor } from './domain/identity/admins';
import { hashCartToken, type VisitorActor } from './domain/order/cart';
import { loadOrderDetails, type OrderDetailPart, type OrderDetails } from './domain/order/queries';
import type { Orm } from './db/orm';
import { requestLogger } from './logger';

export type { AdminActor };

/** One per request: a fresh EntityManager fork (no identity map shared across requests or tenants) and the caller. */
export interface Context {
  em: EntityManager;
  /** The app's deps, with a logger of this request: its lines, the domain's included, carry its id and actor. */
  deps: DomainDeps;
  requestId: string;
  clientKey: string;
  admin: AdminActor | null;
  visitor: VisitorActor | null;
  /** Credentials were presented but are missing, malformed, tampered, expired or of a disabled admin. */
  authFailed: boolean;
  /** Loads one part of an order's details; the parts asked for in one tick are read in one transaction. */
  orderDetail<P extends OrderDetailPart>(siteId: string, part: P, orderId: string): Promise<OrderDetails[P]>;
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
  let authFailed = false;
  if (req.authorization !== undefined) {
    const [scheme, token] = req.authorization.split(' ');
    const claims = scheme === 'Bearer' && token ? await deps.tokens.verify(token, deps.clock.now()) : null;
    admin = claims ? await loadAdminActor(em, claims) : null;
    authFailed = !admin;
  }
  const cartToken = req.cartToken?.trim();
  const visitor: VisitorActor | null = cartToken ? { kind: 'visitor', cartTokenHash: hashCartToken(cartToken) } : null;
  const log = requestLogger(deps.log, {
    requestId: req.requestId,
    actor: admin ? `admin:${admin.adminId}` : visitor ? 'visitor' : 'anonymous',
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
    authFailed,
    orderDetail(siteId, part, orderId) {
      return loaderOf(siteId).load(`${part}|${orderId}`) as never;
    },
  };
}
