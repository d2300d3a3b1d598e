import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUPER_ADMIN, WEBHOOK_SECRET, type GqlResult, type Headers } from './aegis';
import { signedWebhook } from './fake-stripe';

/** `node dist/server.js` in its own process, as deployed: the build, env configuration, stdout. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout (its JSON log lines included). */
  output(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Headers): Promise<GqlResult<T>>;
  webhook(event: object): Promise<{ status: number; body: any }>;
  superToken(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const gql = async (query: string, variables?: Record<string, unknown>, headers: Headers = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(headers.token && { authorization: `Bearer ${headers.token}` }),
        ...(headers.cartToken && { 'x-cart-token': headers.cartToken }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) } as GqlResult;
  };
  return {
    url,
    pid: child.pid!,
    output: () => out,
    gql,
    async webhook(event) {
      const payload = JSON.stringify(event);
      const res = await fetch(`${url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signedWebhook(payload, WEBHOOK_SECRET) },
        body: payload,
      });
      return { status: res.status, body: await res.json() };
    },
    async superToken() {
      token ??= (await gql(`mutation($e:String!,$p:String!){ adminLogin(email:$e,password:$p){ token } }`, { e: SUPER_ADMIN.email, p: SUPER_ADMIN.password })).data.adminLogin.token;
      return token!;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
