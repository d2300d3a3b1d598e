import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartError } from './start-error';

/** Environment, parsed and validated once. Secrets unset outside production are generated and kept under DATA_DIR. */
export interface Config {
  env: string;
  production: boolean;
  port: number;
  host: string;
  /** Server processes sharing the port (node:cluster); 1 serves from this process. */
  workers: number;
  /** Express's `trust proxy` (e.g. `loopback`, `1`): which proxies' X-Forwarded-For names the client (login rate limit). */
  trustProxy?: string;
  dataDir: string;
  databaseUrl?: string;
  /** The request role's password; unset: a random one the owner keeps in the database. */
  databaseAppPassword?: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  /** PASSWORD_HASH_COST: log2 of scrypt's N for new password hashes (15; 10 under NODE_ENV=test; never below 15 in production). */
  passwordHashCost: number;
  superAdmin: { email: string; password?: string };
  stripe: {
    secretKey: string;
    webhookSecret: string;
    apiBase?: string;
    /** Stripe.js's key for storefronts; with the sandbox, a sandbox key. */
    publishableKey?: string;
    /** STRIPE_TIMEOUT_MS: how long one gateway call may take before it fails (a hung gateway must not hold a checkout). */
    timeoutMs: number;
    /**
     * No STRIPE_SECRET_KEY (nor STRIPE_API_BASE) outside production: `npm start` serves the offline payment sandbox on loopback and points
     * the same Stripe adapter at it. Never in production.
     */
    sandbox: { port: number } | null;
  };
  /** The registered payment provider new attempts go to (PAYMENT_PROVIDER, default stripe). */
  paymentProvider: string;
  openai: { apiKey: string; baseUrl?: string; model: string; timeoutMs: number };
  alertWebhookUrl?: string;
  /** At most `max` alerts of one kind per `windowMs`; the rest are counted and reported with the next one. */
  alertRateLimit: { max: number; windowMs: number };
  /** When the order expiry job runs (cron, UTC); `off` schedules nothing (the job can still be triggered). */
  expiryJobCron: string;
  /** When the payment reconciliation job runs (cron, UTC); `off` schedules nothing. */
  reconcileJobCron: string;
  /** A PENDING attempt whose intent is older than this many seconds is looked up at the gateway (lost webhooks). */
  reconcileAfterSeconds: number;
  /** A DRAFT cart untouched this long is expired by the same job. */
  draftCartTtlDays: number;
  /** createCart calls per client per minute. */
  cartRateLimitPerMinute: number;
  logLevel: string;
  /** `json` (default): one JSON object per line on stdout; `pretty`: human lines for a terminal (src/logger.ts reads it). */
  logFormat: 'json' | 'pretty';
  /** Set: GET /metrics answers only `Authorization: Bearer <token>` (401 otherwise); unset, it is open to whoever reaches the port. */
  metricsToken?: string;
  /** On SIGTERM, how long in-flight requests may run on before their connections are cut. */
  shutdownGraceMs: number;
  /**
   * Mail to customers. SMTP_URL set: sent through that server, from MAIL_FROM. Unset: a development outbox (kept in
   * memory, printed to the log), and in production nothing is sent and password resets are not offered.
   */
  mail: { smtpUrl?: string; from: string };
}

function required(name: string, why = ''): never {
  throw new StartError(`${name} is required when NODE_ENV=production${why}: set it in the environment.`);
}

/** Reads a generated secret from DATA_DIR/secrets.json, creating it once. */
function keptSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true });
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets[name]) {
    secrets[name] = make();
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name];
}

/** An HS256 key shorter than its hash (`changeme`) can be found offline from any one token, and every token forged. */
function tokenKey(secret: string, production: boolean): string {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (production && bytes < 32) {
    throw new StartError(
      `JWT_SECRET must be at least 32 bytes when NODE_ENV=production (got ${bytes}): set a random one in the environment, e.g. from \`openssl rand -base64 32\`.`,
    );
  }
  return secret;
}

function positiveInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new StartError(`${name} must be a positive integer, got "${raw}": fix it in the environment.`);
  return n;
}

/**
 * scrypt's cost, as log2 N. Production never goes below 2^15 (32 MiB, about 0.1 s a hash). Tests default to 2^10,
 * as Rails' min_cost does in its test environment: the suites hash thousands of passwords, each a full scrypt at
 * the production cost, and what they check (who may sign in, equal work for unknown emails) does not depend on N.
 */
export const PASSWORD_HASH_COST = { production: 15, test: 10, max: 20 } as const;

function passwordHashCost(env: NodeJS.ProcessEnv, production: boolean): number {
  const cost = positiveInt('PASSWORD_HASH_COST', env.NODE_ENV === 'test' ? PASSWORD_HASH_COST.test : PASSWORD_HASH_COST.production, env);
  const min = production ? PASSWORD_HASH_COST.production : PASSWORD_HASH_COST.test;
  if (cost < min || cost > PASSWORD_HASH_COST.max)
    throw new StartError(
      `PASSWORD_HASH_COST must be ${min} to ${PASSWORD_HASH_COST.max}${production ? ' when NODE_ENV=production' : ''}, got ${cost}: fix it in the environment.`,
    );
  return cost;
}

function nonNegativeInt(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  return env[name] === '0' ? 0 : positiveInt(name, fallback, env);
}

/** `smtp://` or `smtps://` only: a typo must fail the start, not every mail later. */
function smtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:')
    throw new StartError(
      'SMTP_URL must be an smtp:// or smtps:// URL (e.g. smtp://user:password@mail.example.com:587): fix it in the environment.',
    );
  return raw;
}

function logFormat(raw: string): Config['logFormat'] {
  if (raw === 'json' || raw === 'pretty') return raw;
  throw new StartError(`LOG_FORMAT must be json or pretty, got "${raw}": fix it in the environment.`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  const secret = (name: string, make: () => string) => env[name] || (production ? required(name) : keptSecret(dataDir, name, make));
  const sandbox = !env.STRIPE_SECRET_KEY && !env.STRIPE_API_BASE && !production;
  return {
    env: env.NODE_ENV ?? 'development',
    production,
    port: positiveInt('PORT', 4000, env),
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    workers: positiveInt('WEB_CONCURRENCY', 1, env),
    trustProxy: env.TRUST_PROXY || undefined,
    dataDir,
    databaseUrl: env.DATABASE_URL || (production ? required('DATABASE_URL') : undefined),
    databaseAppPassword: env.DATABASE_APP_PASSWORD || undefined,
    jwtSecret: tokenKey(
      secret('JWT_SECRET', () => randomBytes(32).toString('base64url')),
      production,
    ),
    tokenTtlSeconds: positiveInt('TOKEN_TTL_SECONDS', 8 * 3600, env),
    passwordHashCost: passwordHashCost(env, production),
    superAdmin: { email: env.SUPER_ADMIN_EMAIL || 'admin@aegis.local', password: env.SUPER_ADMIN_PASSWORD || undefined },
    stripe: {
      secretKey:
        env.STRIPE_SECRET_KEY ||
        (production ? required('STRIPE_SECRET_KEY', ' (the offline payment sandbox never runs in production)') : 'sk_test_aegis_sandbox'),
      webhookSecret: secret('STRIPE_WEBHOOK_SECRET', () => `whsec_${randomBytes(24).toString('base64url')}`),
      apiBase: env.STRIPE_API_BASE || undefined,
      publishableKey: env.STRIPE_PUBLISHABLE_KEY || (sandbox ? 'pk_test_aegis_sandbox' : undefined),
      timeoutMs: positiveInt('STRIPE_TIMEOUT_MS', 10_000, env),
      sandbox: sandbox ? { port: nonNegativeInt('STRIPE_SANDBOX_PORT', 0, env) } : null,
    },
    paymentProvider: env.PAYMENT_PROVIDER || 'stripe',
    openai: {
      apiKey: env.OPENAI_API_KEY || 'sk-aegis-local',
      baseUrl: env.OPENAI_BASE_URL || undefined,
      model: env.OPENAI_MODEL || 'gpt-4o-mini',
      timeoutMs: positiveInt('AI_TIMEOUT_MS', 20000, env),
    },
    alertWebhookUrl: env.ALERT_WEBHOOK_URL || undefined,
    alertRateLimit: { max: positiveInt('ALERT_MAX_PER_WINDOW', 10, env), windowMs: positiveInt('ALERT_WINDOW_SECONDS', 60, env) * 1000 },
    expiryJobCron: env.EXPIRY_JOB_CRON || '* * * * *',
    reconcileJobCron: env.RECONCILE_JOB_CRON || '* * * * *',
    reconcileAfterSeconds: positiveInt('RECONCILE_AFTER_S', 600, env),
    draftCartTtlDays: positiveInt('DRAFT_CART_TTL_DAYS', 30, env),
    cartRateLimitPerMinute: positiveInt('CART_RATE_LIMIT_PER_MINUTE', 60, env),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    logFormat: logFormat(env.LOG_FORMAT || 'json'),
    metricsToken: env.METRICS_TOKEN || undefined,
    shutdownGraceMs: positiveInt('SHUTDOWN_GRACE_MS', 10_000, env),
    mail: {
      smtpUrl: smtpUrl(env.SMTP_URL),
      from: env.MAIL_FROM || (production && env.SMTP_URL ? required('MAIL_FROM', ' with SMTP_URL') : 'Aegis <no-reply@aegis.local>'),
    },
  };
}
