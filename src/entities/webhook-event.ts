import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The gateway inbox of one site: one row per provider event id, written in the same transaction as the event's
 * effect (the audit log says what it did). The table's key is (site_id, id), so it shards with the site's orders;
 * the ORM keys it by the event id, which the provider makes unique and which has one home (a site, or the
 * platform's inbox, platform_webhook_events, for events no site holds).
 */
@Entity({ tableName: 'webhook_events' })
export class WebhookEvent {
  @PrimaryKey({ type: 'text' }) id: string;
  @Property({ type: 'text' }) provider: string;
  @Property({ type: 'text' }) type: string;
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'timestamptz' }) receivedAt: Date;

  constructor(id: string, provider: string, type: string, siteId: string, now: Date) {
    this.id = id;
    this.provider = provider;
    this.type = type;
    this.siteId = siteId;
    this.receivedAt = now;
  }
}
