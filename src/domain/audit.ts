import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../entities';
import { actorName, type Actor } from './actor';

export interface AuditFields {
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
export function audit(em: EntityManager, actor: Actor, at: Date, fields: AuditFields): AuditEntry {
  const detail = fields.detail == null ? null : typeof fields.detail === 'string' ? fields.detail : JSON.stringify(fields.detail);
  const entry = new AuditEntry({ ...fields, detail, at, actor: actorName(actor) });
  em.persist(entry);
  return entry;
}
