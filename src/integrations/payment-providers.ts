import type { PaymentGateway, PaymentProvider, PaymentProviders } from '../domain/order/ports';
import { StartError } from '../start-error';

/**
 * The registry the domain reaches providers through. `current` takes the new attempts; an attempt already made
 * goes back to the provider it recorded, and each provider's webhooks arrive at /webhooks/<name>.
 */
export function paymentProviders(
  providers: readonly PaymentProvider[],
  current: string,
  wrap: (gateway: PaymentGateway) => PaymentGateway = (g) => g,
): PaymentProviders {
  const byName = new Map<string, PaymentProvider & { wrapped: PaymentGateway }>();
  for (const p of providers) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(p.name)) throw new Error(`payment provider name "${p.name}" is not a lower-case route segment`);
    if (byName.has(p.name)) throw new Error(`payment provider "${p.name}" is registered twice`);
    if (p.gateway.provider !== p.name || p.webhooks.provider !== p.name)
      throw new Error(`payment provider "${p.name}" names itself otherwise`);
    byName.set(p.name, { ...p, wrapped: wrap(p.gateway) });
  }
  const chosen = byName.get(current);
  // A setting the operator mends: one line, not a stack trace.
  if (!chosen)
    throw new StartError(
      `PAYMENT_PROVIDER "${current}" is not a registered payment provider (known: ${[...byName.keys()].join(', ')}): fix it in the environment.`,
    );
  return {
    current: chosen.wrapped,
    gateway: (name) => byName.get(name)?.wrapped,
    webhooks: (name) => byName.get(name)?.webhooks,
  };
}
