import { Admin, AdminSite } from './admin';
import { AuditEntry } from './audit-entry';
import { Order, OrderLine } from './order';
import { PaymentAttempt } from './payment-attempt';
import { Product } from './product';
import { Site } from './site';
import { WebhookEvent } from './webhook-event';

export { Admin, AdminSite, AuditEntry, Order, OrderLine, PaymentAttempt, Product, Site, WebhookEvent };
export type { AddressValue } from './order';
export * from './states';
export const allEntities = [Site, Admin, AdminSite, Product, Order, OrderLine, PaymentAttempt, WebhookEvent, AuditEntry];
