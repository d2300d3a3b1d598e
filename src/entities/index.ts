import { Admin, AdminSite } from './admin';
import { AuditEntry, AuditRecord, PlatformAuditEntry } from './audit-entry';
import { ContentItem, ContentVersion, Suggestion } from './content';
import { Customer, CustomerAddress, PasswordReset } from './customer';
import { Order, OrderLine } from './order';
import { PaymentAttempt } from './payment-attempt';
import { PaymentFailure } from './payment-failure';
import { Product } from './product';
import { Site } from './site';
import { StockMovement } from './stock-movement';
import { WebhookEvent } from './webhook-event';

export { Customer, CustomerAddress, PasswordReset };
export {
  Admin,
  AdminSite,
  AuditEntry,
  Order,
  OrderLine,
  PaymentAttempt,
  PaymentFailure,
  PlatformAuditEntry,
  Product,
  Site,
  StockMovement,
  WebhookEvent,
};
export { PaymentFailureKind } from './payment-failure';
export type { AddressValue } from './order';
export * from './states';
export { SITE_FILTER, siteFilter, TENANT_ENTITIES, type SiteFilterArgs } from './site-filter';
export * from './content';
export const allEntities = [
  Site,
  Admin,
  AdminSite,
  Product,
  Order,
  OrderLine,
  PaymentAttempt,
  PaymentFailure,
  StockMovement,
  WebhookEvent,
  AuditRecord,
  AuditEntry,
  PlatformAuditEntry,
  ContentItem,
  ContentVersion,
  Suggestion,
  Customer,
  CustomerAddress,
  PasswordReset,
];
