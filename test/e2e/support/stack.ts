/**
 * What a browser test runs against: `node dist/server.js` (the build users get) on a fresh database, with its own
 * Stripe sandbox and a fake OpenAI-compatible provider that counts calls.
 */
import { WEBHOOK_SECRET } from '../../support/aegis';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-openai';
import { spawnOnFreshDatabase, type ServerProcess } from '../../support/server-process';
import type { StripeSandbox } from '../../../src/integrations/stripe/sandbox';

export interface Stack {
  server: ServerProcess;
  stripe: StripeSandbox;
  ai: FakeOpenAI;
  /** The server's origin, e.g. http://127.0.0.1:41234 (the apps are at /admin and /shop/<siteId>). */
  url: string;
  /** The database's URL, for reading what no API shows (the development mail outbox, aegis.outbox). */
  dbUrl: string;
  close(): Promise<void>;
}

export async function startStack(env: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const ai = await startFakeOpenAI();
  const started = await spawnOnFreshDatabase({
    OPENAI_BASE_URL: ai.url,
    OPENAI_API_KEY: 'sk-test',
    AI_TIMEOUT_MS: '3000',
    // The storefront confirms at the sandbox with a publishable key, as Stripe.js does (npm start sets a sandbox one).
    STRIPE_PUBLISHABLE_KEY: 'pk_test_aegis_e2e',
    ...env,
  });
  // The sandbox delivers its signed events to the server's webhook, as Stripe would.
  started.stripe.setWebhook(`${started.server.url}/webhooks/stripe`, WEBHOOK_SECRET);
  return {
    dbUrl: started.dbUrl,
    server: started.server,
    stripe: started.stripe,
    ai,
    url: started.server.url,
    async close() {
      await started.close();
      await ai.close();
    },
  };
}
