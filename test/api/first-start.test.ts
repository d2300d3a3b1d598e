import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/free-port';
import { startFreshCluster } from '../support/fresh-cluster';
import { createTestDatabase } from '../support/databases';
import { spawnServer, type ServerProcess } from '../support/server-process';

/** The first hour of a newcomer, on the built server: `npm start`'s defaults, `npm run demo`, start-up failures. */
const root = path.join(__dirname, '..', '..');

/** Runs the built server until it exits (start-up failures): its exit code and output. */
function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'server.js')], { env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe('npm start with nothing configured (the sandbox default)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aegis-first-'));
  // What a newcomer's env holds: no Stripe key, no admin password (the test's own database stands in for ./.data/pg).
  const start = async (): Promise<ServerProcess> =>
    spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, STRIPE_API_BASE: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', SUPER_ADMIN_EMAIL: '', SUPER_ADMIN_PASSWORD: '', EXPIRY_JOB_CRON: 'off' });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('serves the payment sandbox, keeps the generated password until the first sign-in, and the demo passes', async () => {
    const first = await start();
    const banner = first.output();
    expect(banner).toMatch(/Payments: the offline Stripe sandbox at http:\/\/127\.0\.0\.1:\d+/);
    const password = /Generated password[^:]*: (\S+)/.exec(banner)?.[1];
    expect(password).toBeDefined();
    const file = path.join(dataDir, 'bootstrap-admin.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ email: 'admin@aegis.local', password });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await first.stop();

    // A missed banner is not a lost password: shown again until someone signs in with it.
    const second = await start();
    expect(second.output()).toContain(`: ${password}`);

    const demo = spawnSync('npm', ['run', 'demo'], { cwd: root, env: { ...process.env, AEGIS_URL: second.url, DATA_DIR: dataDir, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, encoding: 'utf8', timeout: 60_000 });
    expect(demo.stderr).not.toContain('The demo failed');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain('the sandbox delivered payment_intent.succeeded, signed; the order is CONFIRMED');
    expect(demo.stdout).toMatch(/declined \(generic_decline\): the order is PAYMENT_FAILED/);
    expect(demo.stdout).toContain('the order is CONFIRMED after 2 attempts: FAILED, SUCCEEDED');
    expect(demo.stdout).toContain('Advisory disabled for this site');
    await second.stop();

    const third = await start();
    expect(third.output()).not.toContain(password!);
    expect(third.output()).toContain(file);
    await third.stop();
  }, 120_000);
});

describe('the embedded PostgreSQL of npm start', () => {
  it('is durable: fsync stays on (only test and bench clusters turn it off)', async () => {
    const cluster = await startFreshCluster({ durable: true });
    try {
      const client = new Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query('show fsync');
      await client.end();
      expect(rows).toEqual([{ fsync: 'on' }]);
    } finally {
      await cluster.stop();
    }
  });
});

describe('start-up failures end with one line naming the cause and the fix', () => {
  it('a PORT in use', async () => {
    const port = await freePort();
    const holder = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const db = await createTestDatabase();
    try {
      const run = await runToExit({ NODE_ENV: 'test', PORT: String(port), DATABASE_URL: db.url, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-port-')) });
      expect(run.code).toBe(1);
      expect(lastLine(run.stderr)).toBe(`Aegis failed to start: Port ${port} on 127.0.0.1 is already in use (is another Aegis running?): stop it, or choose another port with PORT=${port + 1}.`);
      expect(run.stderr + run.stdout).not.toMatch(/TypeError|\n\s+at /);
    } finally {
      holder.close();
      await db.drop();
    }
  });

  // The failure exists only as root, where the embedded PostgreSQL runs as its own user (CI and this machine run as root).
  (process.getuid?.() === 0 ? it : it.skip)('as root, an embedded database in a folder the postgres user cannot enter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aegis-private-')); // mode 700, as `mktemp -d` makes it
    const run = await runToExit({ NODE_ENV: 'test', PORT: String(await freePort()), DATA_DIR: path.join(dir, 'data'), STRIPE_SECRET_KEY: 'sk_test_x' });
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toBe(
      `Aegis failed to start: The embedded PostgreSQL cannot start: running as root, it runs as the user "postgres", who cannot enter ${path.join(dir, 'data')}. ` +
        'Run as a normal user, clone into a folder other users may enter (e.g. /srv or /home), or set DATABASE_URL.',
    );
    expect(run.stderr).not.toContain('spawn');
  });

  it('production without a Stripe key refuses the sandbox', async () => {
    const run = await runToExit({ NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: 'x'.repeat(40), STRIPE_WEBHOOK_SECRET: 'whsec_x' });
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toBe(
      'Aegis failed to start: STRIPE_SECRET_KEY is required when NODE_ENV=production (the offline payment sandbox never runs in production): set it in the environment.',
    );
  });
});
