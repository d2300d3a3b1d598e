/** Stable codes of expected refusals. They are returned as data (userErrors), never thrown. */
export enum ErrorCode {
  VALIDATION = 'VALIDATION',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  EMPTY_CART = 'EMPTY_CART',
  CHECKOUT_DETAILS_MISSING = 'CHECKOUT_DETAILS_MISSING',
  RECOVERY_WINDOW_EXPIRED = 'RECOVERY_WINDOW_EXPIRED',
  PAYMENT_GATEWAY_ERROR = 'PAYMENT_GATEWAY_ERROR',
  NOTHING_TO_REFUND = 'NOTHING_TO_REFUND',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  RATE_LIMITED = 'RATE_LIMITED',
  AI_DISABLED = 'AI_DISABLED',
  AI_UNAVAILABLE = 'AI_UNAVAILABLE',
  STALE_SUGGESTION = 'STALE_SUGGESTION',
  CONFLICT = 'CONFLICT',
  /** The operation is not offered by this deployment (a password reset without SMTP_URL in production). */
  NOT_AVAILABLE = 'NOT_AVAILABLE',
  /** More than is available of a tracked product (the available quantity is in the message). */
  INSUFFICIENT_STOCK = 'INSUFFICIENT_STOCK',
}

export interface UserError {
  code: ErrorCode;
  message: string;
  field?: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (code: ErrorCode, message: string, field?: string[]): { ok: false; errors: UserError[] } => ({
  ok: false,
  errors: [{ code, message, ...(field ? { field } : {}) }],
});
export const notFound = (what: string, field?: string[]) => refuse(ErrorCode.NOT_FOUND, `${what} not found`, field);
