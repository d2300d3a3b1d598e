import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { OrderState } from './states';

export interface AddressValue {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

/** An order; while DRAFT it is the visitor's cart. Its state is assigned only by src/domain/order. */
@Entity({ tableName: 'orders' })
export class Order {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Enum({ items: () => OrderState }) state: OrderState = OrderState.DRAFT;
  @Property({ type: 'text' }) currency: string;
  @Property({ type: 'text', hidden: true }) cartTokenHash: string;
  /** The customer the cart (and order) belongs to; null for a guest's. */
  @Property({ type: 'uuid', nullable: true }) customerId: string | null = null;
  @Property({ type: 'integer' }) totalMinor = 0;
  @Property({ type: 'integer' }) lineCount = 0;
  @Property({ type: 'text', nullable: true }) email: string | null = null;
  @Property({ type: 'json', nullable: true }) shippingAddress: AddressValue | null = null;
  @Property({ type: 'json', nullable: true }) billingAddress: AddressValue | null = null;
  @Property({ type: 'uuid', nullable: true }) currentAttemptId: string | null = null;
  @Property({ type: 'text', nullable: true }) failureReason: string | null = null;
  @Property({ type: 'timestamptz', nullable: true }) recoveryDeadline: Date | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date;
  @Property({ type: 'timestamptz' }) updatedAt: Date;

  constructor(siteId: string, currency: string, cartTokenHash: string, now: Date) {
    this.siteId = siteId;
    this.currency = currency;
    this.cartTokenHash = cartTokenHash;
    this.createdAt = now;
    this.updatedAt = now;
  }
}

/** One line of an order, with the unit price snapshotted from the catalogue when it was added. */
@Entity({ tableName: 'order_lines' })
export class OrderLine {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) orderId: string;
  @Property({ type: 'uuid' }) productId: string;
  @Property({ type: 'integer' }) quantity: number;
  @Property({ type: 'integer' }) unitPriceMinor: number;

  constructor(siteId: string, orderId: string, productId: string, quantity: number, unitPriceMinor: number) {
    this.siteId = siteId;
    this.orderId = orderId;
    this.productId = productId;
    this.quantity = quantity;
    this.unitPriceMinor = unitPriceMinor;
  }
}
