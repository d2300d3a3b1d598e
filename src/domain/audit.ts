import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry, PlatformAuditEntry } from '../entities';
import { actorName, type Actor } from './actor';

export interface AuditFields {
  /** null for a platform action: it goes to the platform's own log, which has no site to shard by. */
  siteId: string | null;
  action: string;
  entity: string;
  entityId: string;
  detail?: Record<string, unknown> | string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
}

/** Adds the command's audit entry to the unit of work, so it commits (or rolls back) with the command. */
export function audit(em: EntityManager, actor: Actor, at: Date, fields: AuditFields): AuditEntry | PlatformAuditEntry {
  const { siteId, ...rest } = fields;
  const detail = rest.detail == null ? null : typeof rest.detail === 'string' ? rest.detail : JSON.stringify(rest.detail);
  const record = { ...rest, detail, at, actor: actorName(actor) };
  const entry = siteId === null ? new PlatformAuditEntry(record) : new AuditEntry({ ...record, siteId });
  em.persist(entry);
  return entry;
}
