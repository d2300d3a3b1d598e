import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from './ids';

export enum PaymentFailureKind {
  /** The gateway declined a payment (payment_intent.payment_failed). */
  PAYMENT_FAILED = 'PAYMENT_FAILED',
  /** The gateway refused to refund a captured attempt. */
  REFUND_REFUSED = 'REFUND_REFUSED',
  /** The gateway refused to cancel a superseded or expiring PaymentIntent. */
  CANCEL_REFUSED = 'CANCEL_REFUSED',
}

/** Append-only record of a payment failure, kept apart from the attempt it concerns; the database refuses changes. */
@Entity({ tableName: 'payment_failures' })
export class PaymentFailure {
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) orderId: string;
  @Property({ type: 'uuid' }) attemptId: string;
  @Enum({ items: () => PaymentFailureKind }) kind: PaymentFailureKind;
  @Property({ type: 'text', nullable: true }) intentId: string | null;
  @Property({ type: 'text', nullable: true }) eventId: string | null;
  @Property({ type: 'text' }) reason: string;
  @Property({ type: 'timestamptz' }) at: Date;

  constructor(fields: {
    siteId: string;
    orderId: string;
    attemptId: string;
    kind: PaymentFailureKind;
    intentId?: string | null;
    eventId?: string | null;
    reason: string;
    at: Date;
  }) {
    this.siteId = fields.siteId;
    this.orderId = fields.orderId;
    this.attemptId = fields.attemptId;
    this.kind = fields.kind;
    this.intentId = fields.intentId ?? null;
    this.eventId = fields.eventId ?? null;
    this.reason = fields.reason;
    this.at = fields.at;
  }
}
