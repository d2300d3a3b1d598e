import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry, PlatformAuditEntry } from '../entities';
import { insertWithCommit, type SqlValue } from '../db/one-message';
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

/**
 * Adds the command's audit entry to its transaction, so it commits (or rolls back) with the command. In a command's
 * transaction (src/domain/tx.ts) the row travels with the COMMIT itself, one round trip fewer per command: nothing
 * reads a command's audit entry back before it commits. Elsewhere it joins the unit of work and the flush writes it.
 */
export function audit(em: EntityManager, actor: Actor, at: Date, fields: AuditFields): AuditEntry | PlatformAuditEntry {
  const { siteId, ...rest } = fields;
  const detail = rest.detail == null ? null : typeof rest.detail === 'string' ? rest.detail : JSON.stringify(rest.detail);
  const record = { ...rest, detail, at, actor: actorName(actor) };
  const entry = siteId === null ? new PlatformAuditEntry(record) : new AuditEntry({ ...record, siteId });
  if (!insertWithCommit(em.getTransactionContext(), entry instanceof AuditEntry ? 'audit_log' : 'platform_audit_log', columnsOf(entry)))
    em.persist(entry);
  return entry;
}

/** The entry as its table's columns (src/entities/audit-entry.ts); platform entries have no site_id. */
function columnsOf(entry: AuditEntry | PlatformAuditEntry): Record<string, SqlValue> {
  return {
    id: entry.id,
    ...(entry instanceof AuditEntry ? { site_id: entry.siteId } : {}),
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    detail: entry.detail,
    from_state: entry.fromState,
    to_state: entry.toState,
    reason: entry.reason,
  };
}
