import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier } from './alerts/notifier';
import { createApp } from './app';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { systemClock, type Clock } from './domain/clock';
import type { DomainDeps, Faults } from './domain/deps';
import { bootstrapSuperAdmin } from './domain/identity/admins';
import { RateLimiter } from './domain/identity/rate-limiter';
import { TokenService } from './domain/identity/tokens';
import { validateTransitions } from './domain/order/transitions';
import { OpenAIAdvisor } from './integrations/ai/openai-advisor';
import { StripeGateway, stripeClient } from './integrations/stripe/stripe-gateway';
import { startJobs, type Jobs } from './jobs/expiry-job';
import { logger } from './logger';

export interface Aegis {
  url: string;
  db: Database;
  deps: DomainDeps;
  jobs: Jobs;
  bootstrap: { email: string; generatedPassword?: string } | null;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  faults?: Faults;
  /** 0 picks a free port. */
  port?: number;
  onQuery?: (sql: string) => void;
}

/** Opens the database (migrating it), bootstraps the super admin and serves the API. */
export async function startAegis(config: Config, opts: StartOptions = {}): Promise<Aegis> {
  validateTransitions();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onQuery: opts.onQuery });
  const stripe = stripeClient({ secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase });
  const clock = opts.clock ?? systemClock;
  const alerts = createNotifier({ webhookUrl: config.alertWebhookUrl, limit: config.alertRateLimit, clock, log: logger });
  const deps: DomainDeps = {
    clock,
    gateway: new StripeGateway(stripe),
    advisor: new OpenAIAdvisor(config.openai),
    tokens: new TokenService(config.jwtSecret, config.tokenTtlSeconds),
    loginLimiter: new RateLimiter(10, 15 * 60 * 1000),
    log: logger,
    alerts,
    faults: opts.faults ?? {},
  };
  let jobs: Jobs | undefined;
  try {
    const bootstrap = await bootstrapSuperAdmin(db.orm.em.fork(), deps, config.superAdmin.email, config.superAdmin.password);
    const started = await startJobs({ ownerUrl: db.ownerUrl, orm: db.orm, deps, cron: config.expiryJobCron });
    jobs = started;
    const { app, apollo } = await createApp({ orm: db.orm, deps, stripe, webhookSecret: config.stripe.webhookSecret, production: config.production, trustProxy: config.trustProxy });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(opts.port ?? config.port, config.host, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      db,
      deps,
      jobs: started,
      bootstrap,
      async close() {
        await started.stop();
        await new Promise((r) => server.close(r));
        server.closeAllConnections();
        await apollo.stop();
        await alerts.flush();
        await db.close();
      },
    };
  } catch (err) {
    await jobs?.stop();
    await db.close();
    throw err;
  }
}
