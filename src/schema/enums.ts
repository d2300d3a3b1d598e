import { registerEnumType } from 'type-graphql';
import { ErrorCode } from '../domain/errors';
import { OrderState, PaymentAttemptStatus, Role, SuggestionStatus } from '../entities/states';

export enum ContentSource {
  MANUAL = 'MANUAL',
  AI_SUGGESTION = 'AI_SUGGESTION',
}

/** One kind of stock movement (README "Stock"). */
export enum StockMovementKind {
  ADJUSTMENT = 'ADJUSTMENT',
  RESERVATION = 'RESERVATION',
  RELEASE = 'RELEASE',
  SALE = 'SALE',
  RESTOCK = 'RESTOCK',
}

registerEnumType(OrderState, { name: 'OrderState' });
registerEnumType(PaymentAttemptStatus, { name: 'PaymentAttemptStatus' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(ErrorCode, { name: 'ErrorCode' });
registerEnumType(SuggestionStatus, { name: 'SuggestionStatus' });
registerEnumType(ContentSource, { name: 'ContentSource' });
registerEnumType(StockMovementKind, { name: 'StockMovementKind' });

export { ErrorCode, OrderState, PaymentAttemptStatus, Role, SuggestionStatus };
