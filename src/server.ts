import 'reflect-metadata';
import cluster from 'node:cluster';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { migrate } from './db/database';
import { loadEmbedded } from './db/load-embedded';
import { logger } from './logger';
import { startStripeSandbox } from './integrations/stripe/sandbox';
import { sandboxLog, startAegis, type Aegis } from './runtime';
import { StartError } from './start-error';

/** What a serving process reports once it listens. */
interface Ready {
  url: string;
  embedded: boolean;
  bootstrap: Aegis['bootstrap'];
  sandboxUrl: string | null;
  startup: Aegis['startup'];
}

function banner(config: Config, ready: Ready, workers: number) {
  const lines = [
    '',
    `  Aegis is up in ${(ready.startup.total / 1000).toFixed(1)} s: GraphQL at ${ready.url}/graphql  (health: ${ready.url}/healthz, webhook: POST ${ready.url}/webhooks/stripe)`,
    `  Admin console: ${ready.url}/admin   Storefront: ${ready.url}/shop/<siteId> (npm run demo makes a site and prints its address)`,
    `  Database: ${ready.embedded ? `embedded PostgreSQL under ${config.dataDir}/pg` : 'DATABASE_URL'}${workers > 1 ? `; ${workers} server processes` : ''}`,
    ready.sandboxUrl
      ? `  Payments: the offline Stripe sandbox at ${ready.sandboxUrl} (a test server, not a gateway: card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 declines); set STRIPE_SECRET_KEY for real Stripe`
      : `  Payments: Stripe${config.stripe.apiBase ? ` at ${config.stripe.apiBase}` : ''}`,
  ];
  if (ready.bootstrap) {
    lines.push(`  Super admin: ${ready.bootstrap.email}`);
    if (ready.bootstrap.generatedPassword) {
      lines.push(
        `  Generated password (shown until its first sign-in; set SUPER_ADMIN_PASSWORD to choose one): ${ready.bootstrap.generatedPassword}`,
      );
    }
    if (ready.bootstrap.file) lines.push(`  The generated password is kept, readable only by you, in ${ready.bootstrap.file}`);
  }
  if (!config.production) lines.push('', `  Next, in a second terminal: npm run demo   (AEGIS_URL=${ready.url})`);
  process.stdout.write(lines.join('\n') + '\n\n');
}

function onSignals(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    logger.info({ signal }, 'shutting down');
    stop(signal).then(
      () => {
        logger.info({ signal, ms: ms() }, 'shut down');
        process.exit(0);
      },
      (err) => {
        logger.error({ err, ms: ms() }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}

/** One serving process: the whole server (with WEB_CONCURRENCY > 1, a cluster worker). */
async function serve(config: Config) {
  const aegis = await startAegis(config);
  const ready: Ready = {
    url: aegis.url,
    embedded: aegis.db.embedded,
    bootstrap: aegis.bootstrap,
    sandboxUrl: aegis.sandboxUrl,
    startup: aegis.startup,
  };
  if (cluster.isWorker) process.send!({ ready });
  else banner(config, ready, 1);
  onSignals(() => aegis.close());
}

/**
 * WEB_CONCURRENCY > 1: this process owns the database set-up (the embedded server, if any, and the migrations)
 * and forks workers that share the port; it prints the banner once and stops them on a signal.
 */
async function supervise(config: Config) {
  const embedded = config.databaseUrl ? undefined : await loadEmbedded().startEmbeddedPostgres(path.join(config.dataDir, 'pg'));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  await migrate(databaseUrl, { appPassword: config.databaseAppPassword });
  // One sandbox for all workers: they reach it as a configured Stripe API base; it delivers to the shared port.
  const sandbox = config.stripe.sandbox ? await startStripeSandbox({ port: config.stripe.sandbox.port, log: sandboxLog }) : undefined;
  sandbox?.setWebhook(`http://127.0.0.1:${config.port}/webhooks/stripe`, config.stripe.webhookSecret);
  const workerEnv = {
    DATABASE_URL: databaseUrl,
    ...(sandbox && {
      STRIPE_API_BASE: sandbox.url,
      STRIPE_SECRET_KEY: config.stripe.secretKey,
      STRIPE_PUBLISHABLE_KEY: config.stripe.publishableKey,
    }),
  };
  let announced = false;
  for (let i = 0; i < config.workers; i++) {
    const worker = cluster.fork(workerEnv);
    worker.on('message', (msg: { ready?: Ready }) => {
      if (!msg.ready) return;
      // Only the worker that bootstrapped the super admin knows a generated password: show it.
      if (msg.ready.bootstrap?.generatedPassword || !announced)
        banner(config, { ...msg.ready, embedded: Boolean(embedded), sandboxUrl: sandbox?.url ?? null }, config.workers);
      announced = true;
    });
  }
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.fatal({ pid: worker.process.pid, code, signal }, 'a server process died; stopping');
    process.kill(process.pid, 'SIGTERM');
  });
  onSignals(async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    const exited = workers.map((w) => new Promise((r) => w.once('exit', r)));
    for (const w of workers) w.process.kill('SIGTERM');
    // Each worker drains for up to the grace period, then stops its jobs (pg-boss waits up to 10 s): later, it is stuck.
    const stuck = setTimeout(() => workers.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), config.shutdownGraceMs + 15_000);
    await Promise.all(exited);
    clearTimeout(stuck);
    // Only now: the workers' in-flight requests may still call the sandbox.
    await sandbox?.close();
    await embedded?.stop();
  });
}

/** `npm start`: migrate, serve (embedded PostgreSQL unless DATABASE_URL is set), say where to go. */
async function main() {
  const config = loadConfig();
  if (cluster.isPrimary && config.workers > 1) await supervise(config);
  else await serve(config);
}

main().catch((err) => {
  if (err instanceof StartError) {
    // A cause the operator can fix: one plain line, no stack, as the last thing printed.
    logger.fatal({ reason: err.message }, 'Aegis failed to start');
    process.stderr.write(`\nAegis failed to start: ${err.message}\n`);
  } else {
    logger.fatal({ err }, 'Aegis failed to start');
  }
  process.exit(1);
});
