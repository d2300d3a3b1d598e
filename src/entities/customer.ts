import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A customer account of one site (the seed's authenticated visitor). The same email on two sites is two
 * accounts. `tokenVersion` is written into every token issued; bumping it (logout, reset, disable) refuses them all.
 */
@Entity({ tableName: 'customers' })
export class Customer {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  /** Lower case, trimmed. */
  @Property({ type: 'text' }) email: string;
  @Property({ type: 'text', hidden: true }) passwordHash: string;
  @Property({ type: 'text', nullable: true }) name: string | null = null;
  @Property({ type: 'integer' }) tokenVersion = 0;
  @Property({ type: 'boolean' }) disabled = false;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(siteId: string, email: string, passwordHash: string, now: Date) {
    this.siteId = siteId;
    this.email = email;
    this.passwordHash = passwordHash;
    this.createdAt = now;
  }
}

/** A saved address of a customer; `setCheckoutDetails` may take one by id. */
@Entity({ tableName: 'customer_addresses' })
export class CustomerAddress {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) customerId: string;
  @Property({ type: 'text' }) name: string;
  @Property({ type: 'text' }) line1: string;
  @Property({ type: 'text', nullable: true }) line2: string | null = null;
  @Property({ type: 'text' }) city: string;
  @Property({ type: 'text' }) postalCode: string;
  @Property({ type: 'text' }) country: string;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(
    siteId: string,
    customerId: string,
    a: { name: string; line1: string; line2?: string | null; city: string; postalCode: string; country: string },
    now: Date,
  ) {
    this.siteId = siteId;
    this.customerId = customerId;
    this.name = a.name;
    this.line1 = a.line1;
    this.line2 = a.line2 ?? null;
    this.city = a.city;
    this.postalCode = a.postalCode;
    this.country = a.country;
    this.createdAt = now;
  }
}

/** A password-reset token, kept as its digest: single use (`usedAt`), 30 minutes. */
@Entity({ tableName: 'password_resets' })
export class PasswordReset {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'uuid' }) siteId: string;
  @Property({ type: 'uuid' }) customerId: string;
  @Property({ type: 'text', hidden: true }) tokenHash: string;
  @Property({ type: 'timestamptz' }) expiresAt: Date;
  @Property({ type: 'timestamptz', nullable: true }) usedAt: Date | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date;

  constructor(siteId: string, customerId: string, tokenHash: string, expiresAt: Date, now: Date) {
    this.siteId = siteId;
    this.customerId = customerId;
    this.tokenHash = tokenHash;
    this.expiresAt = expiresAt;
    this.createdAt = now;
  }
}
