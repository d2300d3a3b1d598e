import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'sites' })
export class Site {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'text' }) name: string;
  @Property({ type: 'text' }) currency: string;
  @Property({ type: 'boolean' }) aiEnabled = false;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(name: string, currency: string, now: Date) {
    this.name = name;
    this.currency = currency;
    this.createdAt = now;
  }
}
