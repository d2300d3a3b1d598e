import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One row of the append-only stock ledger (README "Stock"). Written only by the statements of
 * src/domain/stock/ledger.ts, together with the product's columns; the database refuses UPDATE and DELETE.
 */
@Entity({ tableName: 'stock_movements' })
export class StockMovement {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) siteId!: string;
  @Property({ type: 'uuid' }) productId!: string;
  @Property({ type: 'uuid', nullable: true }) orderId!: string | null;
  @Property({ type: 'text' }) kind!: string;
  @Property({ type: 'integer' }) onHandDelta!: number;
  @Property({ type: 'integer' }) reservedDelta!: number;
  @Property({ type: 'text', nullable: true }) reason!: string | null;
  @Property({ type: 'text' }) actor!: string;
  @Property({ type: 'timestamptz' }) at!: Date;
}
