import 'reflect-metadata';
import { Client } from 'pg';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { withDatabase } from './databases';

export const embeddedDir = () => path.join(__dirname, '..', '..', '.data', `test-pg-${process.pid}`);

declare global {
  var __AEGIS_EMBEDDED__: EmbeddedDatabase | undefined;
}

/**
 * Once per test run: the server (DATABASE_URL, else one embedded PostgreSQL under .data/test-pg) and a
 * migrated template database that every test file clones.
 */
export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // One folder per run, so runs side by side (several terminals, CI and a developer) never share a cluster.
    globalThis.__AEGIS_EMBEDDED__ = await startEmbeddedPostgres(embeddedDir(), { fresh: true, durable: false });
    serverUrl = globalThis.__AEGIS_EMBEDDED__.url;
  }
  const template = `aegis_tpl_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();
  // Migrated by the built CLI in its own process: MikroORM must not be loaded in Jest's parent realm.
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'db', 'migrate-cli.js'), withDatabase(serverUrl, template)], {
    stdio: 'pipe',
  });
  process.env.AEGIS_TEST_SERVER_URL = serverUrl;
  process.env.AEGIS_TEST_TEMPLATE = template;
}
