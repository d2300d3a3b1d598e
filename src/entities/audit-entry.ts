import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from './ids';

/** Append-only record of every action. Order transitions carry fromState/toState; Order.history reads those. */
@Entity({ tableName: 'audit_log' })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'uuid', nullable: true }) siteId: string | null;
  @Property({ type: 'timestamptz' }) at: Date;
  @Property({ type: 'text' }) actor: string;
  @Property({ type: 'text' }) action: string;
  @Property({ type: 'text' }) entity: string;
  @Property({ type: 'text' }) entityId: string;
  @Property({ type: 'text', nullable: true }) detail: string | null = null;
  @Property({ type: 'text', nullable: true }) fromState: string | null = null;
  @Property({ type: 'text', nullable: true }) toState: string | null = null;
  @Property({ type: 'text', nullable: true }) reason: string | null = null;

  constructor(fields: {
    siteId: string | null;
    at: Date;
    actor: string;
    action: string;
    entity: string;
    entityId: string;
    detail?: string | null;
    fromState?: string | null;
    toState?: string | null;
    reason?: string | null;
  }) {
    this.siteId = fields.siteId;
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
