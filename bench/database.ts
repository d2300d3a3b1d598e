import path from 'node:path';
import { Client } from 'pg';
import { DIST } from './dist';

export interface BenchDatabase {
  /** Owner URL of the fresh database the server migrates and uses. */
  url: string;
  kind: 'embedded' | 'DATABASE_URL';
  /** pg_stat_statements is loaded and created in the bench database. */
  statStatements: boolean;
  /** PostgreSQL's own `fsync` setting, as read from the server: the results record which was measured. */
  fsync: string;
  close(): Promise<void>;
}

type EmbeddedModule = {
  startEmbeddedPostgres(dir: string, opts?: { fresh?: boolean; durable?: boolean }): Promise<{ url: string; stop(): Promise<void> }>;
};

export async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000, statement_timeout: 60_000 });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function createFresh(adminUrl: string, name: string): Promise<{ url: string; statStatements: boolean; fsync: string }> {
  await sql(adminUrl, `drop database if exists ${name} with (force)`);
  await sql(adminUrl, `create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const [{ libs }] = await sql<{ libs: string }>(url, `select current_setting('shared_preload_libraries') as libs`);
  const statStatements = libs
    .split(',')
    .map((s) => s.trim())
    .includes('pg_stat_statements');
  if (statStatements) await sql(url, `create extension if not exists pg_stat_statements`);
  const [{ fsync }] = await sql<{ fsync: string }>(url, `select current_setting('fsync') as fsync`);
  return { url, statStatements, fsync };
}

/**
 * A fresh database for this run. With DATABASE_URL: a new database `aegis_bench` in that cluster, dropped at
 * the end. Without: the embedded PostgreSQL (src/db/embedded.ts, from the build) under .data/bench-pg, wiped
 * first and restarted once with pg_stat_statements preloaded (startEmbeddedPostgres takes no server flags;
 * ALTER SYSTEM persists the setting in the data folder). A throw-away cluster: fsync off, as in the tests.
 */
export async function openBenchDatabase(root: string): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const fresh = await createFresh(given, 'aegis_bench');
    return {
      ...fresh,
      kind: 'DATABASE_URL',
      close: async () => void (await sql(given, `drop database if exists aegis_bench with (force)`)),
    };
  }
  const { startEmbeddedPostgres } = require(path.join(DIST, 'db/embedded.js')) as EmbeddedModule;
  const dir = path.join(root, '.data/bench-pg');
  const first = await startEmbeddedPostgres(dir, { fresh: true, durable: false });
  try {
    await sql(first.url, `alter system set shared_preload_libraries = 'pg_stat_statements'`);
    await sql(first.url, `alter system set pg_stat_statements.track = 'all'`);
    // Planning timed too (bench/statements.ts, statementTimer): where PostgreSQL's CPU per order goes.
    await sql(first.url, `alter system set pg_stat_statements.track_planning = on`);
  } finally {
    await first.stop();
  }
  const pg = await startEmbeddedPostgres(dir, { durable: false });
  try {
    const fresh = await createFresh(pg.url, 'aegis_bench');
    return { ...fresh, kind: 'embedded', close: () => pg.stop() };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
