import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/free-port';
import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { createTestDatabase } from './databases';
import {
  gqlClient,
  loginSuperAdmin,
  opClient,
  postWebhook,
  SUPER_ADMIN,
  WEBHOOK_SECRET,
  type GqlResult,
  type Headers,
  type Op,
} from './aegis';

/** `node dist/server.js` in its own process, as deployed: the build, env configuration, stdout. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout (its JSON log lines included). */
  output(): string;
  /** Everything it wrote to stderr (nothing, when every failure is logged as JSON on stdout). */
  errors(): string;
  /** Sends a generated typed document (clients/generated), as the storefront and admin clients do. */
  op: Op;
  /** For probes only: documents no real client sends (malformed, depth/cost/alias probes, built programmatically, fuzzed). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Headers): Promise<GqlResult<T>>;
  webhook(event: object): Promise<{ status: number; body: any }>;
  superToken(): Promise<string>;
  /** The exit code once the process ended and its output was read to the end (null when a signal killed it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function spawnServer(env: { DATABASE_URL: string; STRIPE_API_BASE: string } & NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'server.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-proc-')),
      STRIPE_SECRET_KEY: 'sk_test_aegis',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
      SUPER_ADMIN_EMAIL: SUPER_ADMIN.email,
      SUPER_ADMIN_PASSWORD: SUPER_ADMIN.password,
      // Every test client is 127.0.0.1: only the cart-limit tests set a real limit.
      CART_RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /GraphQL at (http:\/\/[^\s]+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
  let token: string | undefined;
  const gql = gqlClient(url);
  const op = opClient(gql);
  return {
    url,
    pid: child.pid!,
    output: () => out,
    errors: () => err,
    op,
    gql,
    webhook: (event) => postWebhook(url, event),
    async superToken() {
      token ??= await loginSuperAdmin(op);
      return token;
    },
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The built server spawned on a fresh database with its own Stripe sandbox; close() removes all three. */
export async function spawnOnFreshDatabase(
  env: NodeJS.ProcessEnv = {},
): Promise<{ server: ServerProcess; stripe: StripeSandbox; dbUrl: string; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const stripe = await startStripeSandbox();
  const server = await spawnServer({ DATABASE_URL: db.url, STRIPE_API_BASE: stripe.url, ...env });
  return {
    server,
    stripe,
    dbUrl: db.url,
    async close() {
      await server.stop();
      await stripe.close();
      await db.drop();
    },
  };
}
