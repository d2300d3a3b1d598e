import 'reflect-metadata';
import cluster from 'node:cluster';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { migrate } from './db/database';
import { loadEmbedded } from './db/load-embedded';
import { logger } from './logger';
import { startAegis, type Aegis } from './runtime';

/** What a serving process reports once it listens. */
interface Ready {
  url: string;
  embedded: boolean;
  bootstrap: Aegis['bootstrap'];
}

function banner(config: Config, ready: Ready, workers: number) {
  const lines = [
    '',
    `  Aegis is up: GraphQL at ${ready.url}/graphql  (health: ${ready.url}/healthz, webhook: POST ${ready.url}/webhooks/stripe)`,
    `  Database: ${ready.embedded ? `embedded PostgreSQL under ${config.dataDir}/pg` : 'DATABASE_URL'}${workers > 1 ? `; ${workers} server processes` : ''}`,
  ];
  if (ready.bootstrap) {
    lines.push(`  Super admin: ${ready.bootstrap.email}`);
    if (ready.bootstrap.generatedPassword) lines.push(`  Generated password (shown once; set SUPER_ADMIN_PASSWORD to choose one): ${ready.bootstrap.generatedPassword}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

function onSignals(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop(signal).then(() => process.exit(0), (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}

/** One serving process: the whole server (with WEB_CONCURRENCY > 1, a cluster worker). */
async function serve(config: Config) {
  const aegis = await startAegis(config);
  const ready: Ready = { url: aegis.url, embedded: aegis.db.embedded, bootstrap: aegis.bootstrap };
  if (cluster.isWorker) process.send!({ ready });
  else banner(config, ready, 1);
  onSignals(() => aegis.close());
}

/**
 * WEB_CONCURRENCY > 1: this process owns the database set-up (the embedded server, if any, and the migrations)
 * and forks workers that share the port; it prints the banner once and stops them on a signal.
 */
async function supervise(config: Config) {
  const embedded = config.databaseUrl
    ? undefined
    : await loadEmbedded().startEmbeddedPostgres(path.join(config.dataDir, 'pg'));
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  await migrate(databaseUrl);
  let announced = false;
  for (let i = 0; i < config.workers; i++) {
    const worker = cluster.fork({ DATABASE_URL: databaseUrl });
    worker.on('message', (msg: { ready?: Ready }) => {
      if (!msg.ready) return;
      // Only the worker that bootstrapped the super admin knows a generated password: show it.
      if (msg.ready.bootstrap?.generatedPassword || !announced) banner(config, { ...msg.ready, embedded: Boolean(embedded) }, config.workers);
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
    const exited = Object.values(cluster.workers ?? {}).map((w) => new Promise((r) => w!.once('exit', r)));
    for (const w of Object.values(cluster.workers ?? {})) w!.process.kill('SIGTERM');
    await Promise.all(exited);
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
  logger.fatal({ err }, 'Aegis failed to start');
  process.exit(1);
});
