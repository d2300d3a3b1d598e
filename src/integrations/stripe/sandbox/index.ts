/**
 * Aegis's Stripe sandbox: a Stripe-compatible server for PaymentIntents, Refunds and Events, with signed
 * webhook delivery. A sandbox, not a gateway: no money moves. The tests, the bench and an offline `npm start`
 * point the official `stripe` SDK at it.
 *
 *   const sandbox = await startStripeSandbox({ webhook: { url, secret } });
 *   const stripe = new Stripe('sk_test_x', { host: sandbox.host, port: sandbox.port, protocol: 'http' });
 */
import { StripeSandboxServer } from './server';
import type { SandboxOptions, StripeSandbox } from './types';

export { signedWebhook } from './events';
export type * from './types';

export async function startStripeSandbox(opts: SandboxOptions = {}): Promise<StripeSandbox> {
  const sandbox = new StripeSandboxServer(opts);
  await sandbox.listen();
  return sandbox;
}
