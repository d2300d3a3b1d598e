/** State enums shared by entities, the domain and the schema. Their moves: src/domain/order/process.ts, attempt-process.ts, content/suggestion-process.ts. */
export enum OrderState {
  DRAFT = 'DRAFT',
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PAYMENT_AUTHORIZED = 'PAYMENT_AUTHORIZED',
  CONFIRMED = 'CONFIRMED',
  PAYMENT_FAILED = 'PAYMENT_FAILED',
  EXPIRED = 'EXPIRED',
  REFUNDED = 'REFUNDED',
}

export enum PaymentAttemptStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}

/** The moves between them live in src/domain/content/suggestion-process.ts. */
export enum SuggestionStatus {
  PENDING_REVIEW = 'PENDING_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

export enum Role {
  SUPER_ADMIN = 'SUPER_ADMIN',
  SITE_ADMIN = 'SITE_ADMIN',
}
