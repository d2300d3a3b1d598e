import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from './ids';
import { PaymentAttemptStatus } from './states';

/** One try at paying an order: its own idempotency key, and the gateway's intent once created. */
@Entity({ tableName: 'payment_attempts' })
export class PaymentAttempt {
  // Time-ordered: a retry's attempt sorts after the one it supersedes even when both carry the same createdAt.
  @PrimaryKey({ type: 'uuid' }) id: string = uuidv7();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) orderId: string;
  /** The payment provider holding the intent (its registered name). */
  @Property({ type: 'text' }) provider: string;
  @Property({ type: 'text' }) idempotencyKey: string;
  @Enum({ items: () => PaymentAttemptStatus })
  status: PaymentAttemptStatus = PaymentAttemptStatus.PENDING;
  @Property({ type: 'integer' }) amountMinor: number;
  @Property({ type: 'text' }) currency: string;
  @Property({ type: 'text', nullable: true }) intentId: string | null = null;
  @Property({ type: 'text', nullable: true, hidden: true }) clientSecret: string | null = null;
  @Property({ type: 'text', nullable: true }) failureReason: string | null = null;
  @Property({ type: 'boolean' }) needsRefund = false;
  @Property({ type: 'boolean' }) refunded = false;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(siteId: string, orderId: string, provider: string, amountMinor: number, currency: string, now: Date) {
    this.provider = provider;
    this.siteId = siteId;
    this.orderId = orderId;
    this.amountMinor = amountMinor;
    this.currency = currency;
    this.idempotencyKey = `aegis-attempt-${this.id}`;
    this.createdAt = now;
  }
}
