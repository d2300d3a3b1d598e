import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'products' })
export class Product {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'text' }) sku: string;
  @Property({ type: 'text' }) name: string;
  @Property({ type: 'integer' }) priceMinor: number;
  @Property({ type: 'text' }) currency: string;
  @Property({ type: 'timestamptz' }) createdAt: Date;
  /** Null: untracked (sells without limit). Written only by the stock ledger's statements (src/domain/stock/). */
  @Property({ type: 'integer', nullable: true }) stockOnHand: number | null = null;
  @Property({ type: 'integer' }) stockReserved: number = 0;

  constructor(siteId: string, sku: string, name: string, priceMinor: number, currency: string, now: Date) {
    this.siteId = siteId;
    this.sku = sku;
    this.name = name;
    this.priceMinor = priceMinor;
    this.currency = currency;
    this.createdAt = now;
  }
}
