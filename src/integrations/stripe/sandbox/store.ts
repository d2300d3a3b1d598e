/** What the sandbox holds: the objects a Stripe account would, kept in memory. */
import type { SandboxDispute, SandboxEvent, SandboxPaymentIntent, SandboxRefund } from './types';

export class SandboxStore {
  readonly paymentIntents = new Map<string, SandboxPaymentIntent>();
  readonly refunds = new Map<string, SandboxRefund>();
  readonly disputes = new Map<string, SandboxDispute>();
  readonly events: SandboxEvent[] = [];
  /** When each charge was made: the sandbox keeps no charge objects, but a charge event tells its creation time. */
  readonly chargeCreated = new Map<string, number>();

  clear(): void {
    this.paymentIntents.clear();
    this.refunds.clear();
    this.disputes.clear();
    this.events.length = 0;
    this.chargeCreated.clear();
  }
}

/** What a route may do besides answering: announce an event, delivered once the request was executed. */
export type Emit = (type: string, object: unknown) => void;
