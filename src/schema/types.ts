import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ContentSource, ErrorCode, OrderState, PaymentAttemptStatus, Role, SuggestionStatus } from './enums';

@ObjectType()
export class UserError {
  @Field(() => ErrorCode) code!: ErrorCode;
  @Field(() => String) message!: string;
  @Field(() => [String], { nullable: true }) field?: string[] | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class Site {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) currency!: string;
  @Field(() => Boolean) aiEnabled!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class Admin {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => Role) role!: Role;
  @Field(() => [ID]) siteIds!: string[];
  @Field(() => Boolean) disabled!: boolean;
}

@ObjectType()
export class Product {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => String) sku!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) priceMinor!: number;
  @Field(() => String) currency!: string;
  @Field(() => Int, { nullable: true, description: 'Units on hand; null: the product is untracked and sells without limit.' })
  stockOnHand!: number | null;
  @Field(() => Int, { nullable: true, description: 'On hand less what checkouts hold (never negative); null: untracked.' })
  available!: number | null;
}

@ObjectType()
export class ProductEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Product) node!: Product;
}

@ObjectType()
export class ProductConnection {
  @Field(() => [ProductEdge]) edges!: ProductEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class Address {
  @Field(() => String) name!: string;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String) postalCode!: string;
  @Field(() => String) country!: string;
}

@ObjectType()
export class OrderLine {
  @Field(() => ID) id!: string;
  @Field(() => Product) product!: Product;
  @Field(() => Int) quantity!: number;
  @Field(() => Int) unitPriceMinor!: number;
  @Field(() => Int) lineTotalMinor!: number;
  @Field(() => Int, { nullable: true, description: "The product's available quantity now; null: untracked." })
  available!: number | null;
}

@ObjectType({ description: 'One state transition of an order. History lists transitions only.' })
export class OrderEvent {
  @Field(() => Date) at!: Date;
  @Field(() => OrderState, { nullable: true }) from!: OrderState | null;
  @Field(() => OrderState) to!: OrderState;
  @Field(() => String) actor!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType()
export class PaymentSession {
  @Field(() => ID) id!: string;
  @Field(() => String) clientSecret!: string;
  @Field(() => String, {
    nullable: true,
    description: "The gateway's publishable key, for confirming the payment in the browser (Stripe.js); null when not configured.",
  })
  publishableKey!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Set only when the offline payment sandbox serves this server: the base URL where a client confirms the intent with its client secret and a test card, as Stripe.js does with Stripe.',
  })
  sandboxUrl!: string | null;
}

@ObjectType({ description: 'A dispute (chargeback) of a payment, as the gateway last reported it.' })
export class PaymentDispute {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The gateway's status, e.g. needs_response, under_review, won, lost." }) status!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int) amountMinor!: number;
  @Field(() => Boolean, { description: 'Closed (won, lost or warning_closed): `status` is its outcome.' }) closed!: boolean;
}

@ObjectType()
export class PaymentAttempt {
  @Field(() => ID) id!: string;
  @Field(() => PaymentAttemptStatus) status!: PaymentAttemptStatus;
  @Field(() => Int) amountMinor!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field(() => Boolean, { description: 'Money was taken for this attempt but could not confirm the order: an admin must refund it.' })
  needsRefund!: boolean;
  @Field(() => Int, { description: "Refunded so far, as the gateway's charge reports it (refunds made outside Aegis included)." })
  refundedMinor!: number;
  @Field(() => PaymentDispute, { nullable: true }) dispute!: PaymentDispute | null;
}

/** Order's scalar fields; lines, payments and history are field resolvers (src/resolvers/order-fields.ts). */
@ObjectType()
export class Order {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => OrderState) state!: OrderState;
  @Field(() => String) currency!: string;
  @Field(() => Int) totalMinor!: number;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => Address, { nullable: true }) shippingAddress!: Address | null;
  @Field(() => Address, { nullable: true }) billingAddress!: Address | null;
  @Field(() => String, { nullable: true, description: 'Reason of the latest failed attempt.' }) failureReason!: string | null;
  @Field(() => Date, { nullable: true, description: 'Set while PAYMENT_FAILED: retryPayment is refused after it.' })
  recoveryDeadline!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class OrderEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Order) node!: Order;
}

@ObjectType()
export class OrderConnection {
  @Field(() => [OrderEdge]) edges!: OrderEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class ContentVersion {
  @Field(() => Int) number!: number;
  @Field(() => String) body!: string;
  @Field(() => ContentSource) source!: ContentSource;
  @Field(() => ID, { nullable: true }) suggestionId!: string | null;
  @Field(() => String) createdBy!: string;
  @Field(() => Date) createdAt!: Date;
}

/** ContentItem's scalar fields and current version; `versions` is a paged field resolver (src/resolvers/content.ts). */
@ObjectType()
export class ContentItem {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) title!: string;
  @Field(() => ContentVersion) currentVersion!: ContentVersion;
}

@ObjectType()
export class Suggestion {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => ID) contentItemId!: string;
  @Field(() => SuggestionStatus) status!: SuggestionStatus;
  @Field(() => String) instruction!: string;
  @Field(() => String) body!: string;
  @Field(() => Int) baseVersion!: number;
  @Field(() => String) model!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) decidedBy!: string | null;
  @Field(() => String, { nullable: true }) rejectionReason!: string | null;
  @Field(() => Int, { nullable: true }) createdVersion!: number | null;
}

@ObjectType()
export class AuditEntry {
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => String) action!: string;
  @Field(() => String) entity!: string;
  @Field(() => ID) entityId!: string;
  @Field(() => String, { nullable: true }) detail!: string | null;
}

@ObjectType()
export class AuditEntryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditEntry) node!: AuditEntry;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge]) edges!: AuditEntryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
