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
  /** Aegis refunded it whole (its own refund, or the gateway's refund of all that was captured). */
  @Property({ type: 'boolean' }) refunded = false;
  /** Refunded so far, as the gateway's charge reports it: refunds made outside Aegis (a dashboard) count too. */
  @Property({ type: 'integer' }) refundedMinor = 0;
  /** Set just before Aegis asks the gateway to cancel the intent: a cancel the gateway reports otherwise was not Aegis's. */
  @Property({ type: 'timestamptz', nullable: true }) cancelRequestedAt: Date | null = null;
  /** The gateway's dispute (chargeback) of this payment, as its latest event says. */
  @Property({ type: 'text', nullable: true }) disputeId: string | null = null;
  /** The gateway's status (its own words); once closed, it is the outcome (won, lost, ...). */
  @Property({ type: 'text', nullable: true }) disputeStatus: string | null = null;
  @Property({ type: 'boolean' }) disputeClosed = false;
  @Property({ type: 'text', nullable: true }) disputeReason: string | null = null;
  @Property({ type: 'integer', nullable: true }) disputeAmountMinor: number | null = null;
  /** When reconciliation last asked the gateway about this attempt's intent. */
  @Property({ type: 'timestamptz', nullable: true }) reconciledAt: Date | null = null;
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
