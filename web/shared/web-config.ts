/** What the server tells its web apps at GET /web-config.json (src/http/web-apps.ts). */
export interface WebConfig {
  production: boolean;
  /** The API explorer (GraphiQL) is served: introspection is on, outside production. */
  explorer: boolean;
  /** Real Stripe: Stripe Elements with this key. Null with the offline sandbox (the payment session says where it is). */
  stripePublishableKey: string | null;
}

export async function loadWebConfig(): Promise<WebConfig> {
  const res = await fetch('/web-config.json');
  if (!res.ok) throw new Error(`the server did not answer its configuration (HTTP ${res.status})`);
  return (await res.json()) as WebConfig;
}
