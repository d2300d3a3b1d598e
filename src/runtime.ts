import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier } from './alerts/notifier';
import { createApp } from './app';
import { bootstrap as bootstrapAdmin, type Bootstrap } from './bootstrap-password';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { PostgresAttemptCounter, requestRoleUrl } from './db/attempt-counter';
import { PostgresSiteChanges } from './db/site-changes';
import { AiSwitch } from './domain/site/ai-switch';
import { systemClock, type Clock } from './domain/clock';
import type { DomainDeps, Faults } from './domain/deps';
import { LOGIN_LIMITS } from './domain/identity/login-limits';
import { usePasswordCost } from './domain/identity/passwords';
import { RateLimiter } from './domain/identity/rate-limiter';
import { TokenService } from './domain/identity/tokens';
import { validateAttemptProcess } from './domain/order/attempt-process';
import { validateOrderProcess } from './domain/order/process';
import { validateSuggestionProcess } from './domain/content/suggestion-process';
import { OpenAIAdvisor } from './integrations/ai/openai-advisor';
import { createMailer, type DevOutbox } from './integrations/mail';
import { startStripeSandbox } from './integrations/stripe/sandbox';
import { paymentProviders } from './integrations/payment-providers';
import { stripeProvider } from './integrations/stripe/provider';
import { stripeClient } from './integrations/stripe/stripe-gateway';
import type { PaymentProvider, PaymentProviders } from './domain/order/ports';
import { startJobs, type Jobs } from './jobs/jobs';
import { logger } from './logger';
import { MeteredAdvisor } from './metrics/advisor';
import { MeteredGateway } from './metrics/gateway';
import { AegisMetrics } from './metrics/registry';
import { StartError } from './start-error';

export interface Aegis {
  url: string;
  db: Database;
  deps: DomainDeps;
  jobs: Jobs;
  bootstrap: Bootstrap | null;
  /** The development outbox (no SMTP_URL outside production): the mails this process would have sent. */
  outbox: DevOutbox | null;
  /** The offline payment sandbox this process serves, if any. */
  sandboxUrl: string | null;
  /** Milliseconds per start-up phase, and `total` since the process started. */
  startup: Record<string, number>;
  close(): Promise<void>;
}

/** Listens, or fails with one line naming the cause and the fix (a port in use crashed with a TypeError before). */
function listen(app: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new StartError(
            `Port ${port} on ${host} is already in use (is another Aegis running?): stop it, or choose another port with PORT=${port + 1}.`,
          ),
        );
      else if (err.code === 'EACCES')
        reject(new StartError(`Port ${port} on ${host} needs privileges this process lacks: choose a port above 1023 with PORT.`));
      else reject(err);
    });
    server.listen(port, host, () => resolve(server));
  });
}

/** The sandbox's own lines: each request at debug, webhook deliveries (and retries, give-ups) at info. */
export const sandboxLog = (line: object) => {
  if ((line as { action?: string }).action === 'request') logger.debug(line, 'payment sandbox');
  else logger.info(line, 'payment sandbox');
};

export interface StartOptions {
  clock?: Clock;
  faults?: Faults;
  /** 0 picks a free port. */
  port?: number;
  onQuery?: (sql: string) => void;
  /** Payment providers beside the built-in ones (tests register one to prove a provider is an adapter and a line). */
  paymentProviders?: PaymentProvider[];
}

/** Opens the database (migrating it), bootstraps the super admin and serves the API. */
export async function startAegis(config: Config, opts: StartOptions = {}): Promise<Aegis> {
  // Where start-up time goes (README "Start-up"): milliseconds per phase, the first being Node and module loading.
  const startup: Record<string, number> = { processAndModules: Math.round(performance.now()) };
  let last = performance.now();
  const phase = (name: string) => {
    startup[name] = Math.round(performance.now() - last);
    last = performance.now();
  };
  validateOrderProcess();
  validateAttemptProcess();
  validateSuggestionProcess();
  usePasswordCost(config.passwordHashCost);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    appPassword: config.databaseAppPassword,
    dataDir: config.dataDir,
    onQuery: opts.onQuery,
    onPhase: phase,
  });
  if (!db.requestRole.connectRestricted) {
    logger.warn(
      { role: db.requestRole.role },
      'the owner may not restrict CONNECT on this database: other roles of the cluster may still connect to it',
    );
  }
  // No Stripe key outside production: the offline payment sandbox, reached by the same adapter over HTTP.
  const sandbox = config.stripe.sandbox
    ? await startStripeSandbox({ port: config.stripe.sandbox.port, log: sandboxLog }).catch(async (err) => {
        await db.close();
        throw err;
      })
    : undefined;
  if (sandbox) phase('paymentSandbox');
  const apiBase = sandbox?.url ?? config.stripe.apiBase;
  const stripe = stripeClient({ secretKey: config.stripe.secretKey, apiBase, timeoutMs: config.stripe.timeoutMs });
  const clock = opts.clock ?? systemClock;
  const metrics = new AegisMetrics();
  const alerts = createNotifier({
    webhookUrl: config.alertWebhookUrl,
    limit: config.alertRateLimit,
    clock,
    log: logger,
    count: (kind) => metrics.alerts.inc({ kind }),
  });
  // A PAYMENT_PROVIDER nobody registered refuses to start in one line (StartError); what is already open is closed.
  let payments: PaymentProviders;
  try {
    payments = paymentProviders(
      [
        // Outside production a configured API base is a Stripe-compatible test server: clients may confirm there too.
        stripeProvider(stripe, config.stripe.webhookSecret, {
          publishableKey: config.stripe.publishableKey ?? null,
          sandboxUrl: config.production ? null : (apiBase ?? null),
        }),
        ...(opts.paymentProviders ?? []),
      ],
      config.paymentProvider,
      (gateway) => new MeteredGateway(gateway, metrics),
    );
  } catch (err) {
    await sandbox?.close();
    await db.close();
    throw err;
  }
  // Counted in PostgreSQL as the request role, so every process of the deployment counts the same logins.
  const loginLimiter = new PostgresAttemptCounter({
    url: requestRoleUrl(db.ownerUrl, db.requestRole),
    windowMs: LOGIN_LIMITS.windowMs,
    clock,
    log: logger,
  });
  // Every process hears each committed site change, so the AI switch can be answered from memory (src/domain/site/ai-switch.ts).
  const siteChanges = new PostgresSiteChanges({ url: requestRoleUrl(db.ownerUrl, db.requestRole), log: logger });
  await siteChanges.start();
  const { mailer, outbox } = createMailer(config.mail, { production: config.production, test: config.env === 'test' }, logger);
  const deps: DomainDeps = {
    clock,
    payments,
    advisor: new MeteredAdvisor(new OpenAIAdvisor(config.openai), metrics),
    aiSwitch: new AiSwitch(siteChanges),
    tokens: new TokenService(config.jwtSecret, config.tokenTtlSeconds),
    loginLimiter,
    cartLimiter: new RateLimiter(config.cartRateLimitPerMinute, 60 * 1000),
    mailer,
    log: logger,
    alerts,
    faults: opts.faults ?? {},
    metrics,
  };
  let jobs: Jobs | undefined;
  try {
    const bootstrap = await bootstrapAdmin(db.orm.em.fork(), deps, config.dataDir, config.superAdmin);
    phase('bootstrapAdmin');
    const started = await startJobs({
      ownerUrl: db.ownerUrl,
      orm: db.orm,
      deps,
      cron: { expiry: config.expiryJobCron, reconciliation: config.reconcileJobCron },
      policy: { draftTtlMs: config.draftCartTtlDays * 24 * 3600 * 1000 },
      reconciliation: { afterMs: config.reconcileAfterSeconds * 1000 },
    });
    jobs = started;
    phase('jobs');
    const { app, apollo, drain } = await createApp({
      orm: db.orm,
      deps,
      production: config.production,
      trustProxy: config.trustProxy,
      metrics,
      metricsToken: config.metricsToken,
      outbox,
      web: {
        sandboxUrl: config.production ? null : (apiBase ?? null),
        stripePublishableKey: config.stripe.publishableKey ?? null,
      },
    });
    phase('graphqlApp');
    const server = await listen(app, opts.port ?? config.port, config.host);
    phase('listen');
    startup.total = Math.round(performance.now());
    logger.info({ startup }, `ready in ${startup.total} ms since the process started`);
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    // The sandbox delivers its signed events to our own webhook route, as Stripe would.
    sandbox?.setWebhook(`${url}/webhooks/stripe`, config.stripe.webhookSecret);
    return {
      url,
      sandboxUrl: sandbox?.url ?? null,
      outbox,
      startup,
      db,
      deps,
      jobs: started,
      bootstrap,
      async close() {
        // The requests already accepted finish first: they may still need the sandbox, the jobs and the pool.
        const { cut } = await drain.run(server, config.shutdownGraceMs);
        if (cut) logger.warn({ cut, graceMs: config.shutdownGraceMs }, 'shutdown grace period over: busy connections were cut');
        await sandbox?.close();
        await started.stop();
        await apollo.stop();
        await alerts.flush();
        await mailer.close();
        await loginLimiter.close();
        await siteChanges.close();
        await db.close();
      },
    };
  } catch (err) {
    await jobs?.stop();
    await loginLimiter.close();
    await siteChanges.close();
    await sandbox?.close();
    await db.close();
    throw err;
  }
}
