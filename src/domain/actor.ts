import type { Role } from '../entities';

/** Who is acting, as established by the API layer. Internal actors are not GraphQL principals. */
export type Actor =
  | { kind: 'visitor'; cartTokenHash: string }
  | { kind: 'admin'; adminId: string; email: string; role: Role; siteIds: string[] }
  /** A signed-in customer of one site (the seed's authenticated visitor); a token of another site is refused. */
  | { kind: 'customer'; customerId: string; siteId: string; email: string }
  /** `via: 'reconciliation'`: a fact Aegis asked the gateway for, rather than one the gateway sent. */
  | { kind: 'gateway'; provider: string; via?: 'reconciliation' }
  | { kind: 'scheduler' }
  | { kind: 'ai' }
  | { kind: 'system'; name: string };

export type ActorKind = Actor['kind'];
export type AdminActor = Extract<Actor, { kind: 'admin' }>;
export type CustomerActor = Extract<Actor, { kind: 'customer' }>;

/** The audit log's name for an actor; a visitor is named by a prefix of its token hash, never the token. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'visitor':
      return `visitor:${actor.cartTokenHash.slice(0, 12)}`;
    case 'admin':
      return `admin:${actor.email}`;
    case 'customer':
      return `customer:${actor.customerId}`;
    case 'gateway':
      return actor.via ? `gateway:${actor.provider}:${actor.via}` : `gateway:${actor.provider}`;
    case 'scheduler':
      return 'system:scheduler';
    case 'ai':
      return 'system:ai-advisory';
    case 'system':
      return `system:${actor.name}`;
  }
}
