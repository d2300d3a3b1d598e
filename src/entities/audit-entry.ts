import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from './ids';

/** What every audit record says, whoever it belongs to. */
export interface AuditRecordFields {
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  detail?: string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
}

/** The columns every audit record has, in both tables; each table adds its own site (or none). */
@Entity({ abstract: true })
export abstract class AuditRecord {
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'timestamptz' }) at: Date;
  @Property({ type: 'text' }) actor: string;
  @Property({ type: 'text' }) action: string;
  @Property({ type: 'text' }) entity: string;
  @Property({ type: 'text' }) entityId: string;
  @Property({ type: 'text', nullable: true }) detail: string | null = null;
  @Property({ type: 'text', nullable: true }) fromState: string | null = null;
  @Property({ type: 'text', nullable: true }) toState: string | null = null;
  @Property({ type: 'text', nullable: true }) reason: string | null = null;

  constructor(fields: AuditRecordFields) {
    this.at = fields.at;
    this.actor = fields.actor;
    this.action = fields.action;
    this.entity = fields.entity;
    this.entityId = fields.entityId;
    this.detail = fields.detail ?? null;
    this.fromState = fields.fromState ?? null;
    this.toState = fields.toState ?? null;
    this.reason = fields.reason ?? null;
  }
}

/**
 * Append-only record of every action in a site. Order transitions carry fromState/toState; Order.history reads
 * those. The table's key is (site_id, id) so it can be sharded by site; the ORM keys it by id alone, unique in
 * practice (uuidv7), so entries load and compare as before.
 */
@Entity({ tableName: 'audit_log' })
export class AuditEntry extends AuditRecord {
  @Property({ type: 'uuid' }) siteId: string;

  constructor(fields: AuditRecordFields & { siteId: string }) {
    super(fields);
    this.siteId = fields.siteId;
  }
}

/**
 * Append-only record of a platform action (sites, admins, events no site holds): no site, so a table of its own,
 * never sharded. Readable and writable only in a transaction bound to no site (row-level security).
 */
@Entity({ tableName: 'platform_audit_log' })
export class PlatformAuditEntry extends AuditRecord {}
