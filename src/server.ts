import 'reflect-metadata';
import { loadConfig } from './config';
import { logger } from './logger';
import { startAegis } from './runtime';

/** `npm start`: migrate, serve (embedded PostgreSQL unless DATABASE_URL is set), say where to go. */
async function main() {
  const config = loadConfig();
  const aegis = await startAegis(config);
  const lines = [
    '',
    `  Aegis is up: GraphQL at ${aegis.url}/graphql  (health: ${aegis.url}/healthz, webhook: POST ${aegis.url}/webhooks/stripe)`,
    `  Database: ${aegis.db.embedded ? `embedded PostgreSQL under ${config.dataDir}/pg` : 'DATABASE_URL'}`,
  ];
  if (aegis.bootstrap) {
    lines.push(`  Super admin: ${aegis.bootstrap.email}`);
    if (aegis.bootstrap.generatedPassword) lines.push(`  Generated password (shown once; set SUPER_ADMIN_PASSWORD to choose one): ${aegis.bootstrap.generatedPassword}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await aegis.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  logger.fatal({ err }, 'Aegis failed to start');
  process.exit(1);
});
