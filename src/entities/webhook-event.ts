import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The gateway inbox: one row per provider event id, written in the same transaction as the event's effect (the audit log says what it did). */
@Entity({ tableName: 'webhook_events' })
export class WebhookEvent {
  @PrimaryKey({ type: 'text' }) id: string;
  @Property({ type: 'text' }) provider: string;
  @Property({ type: 'text' }) type: string;
  @Property({ type: 'uuid', nullable: true }) siteId: string | null;
  @Property({ type: 'timestamptz' }) receivedAt: Date;

  constructor(id: string, provider: string, type: string, siteId: string | null, now: Date) {
    this.id = id;
    this.provider = provider;
    this.type = type;
    this.siteId = siteId;
    this.receivedAt = now;
  }
}
