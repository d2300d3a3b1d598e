import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
  jwtSecret: string;
  tokenTtlSeconds: number;
  superAdmin: { email: string; password?: string };
  stripe: { secretKey: string; webhookSecret: string; apiBase?: string };
  openai: { apiKey: string; baseUrl?: string; model: string; timeoutMs: number };
  alertWebhookUrl?: string;
  /** At most `max` alerts of one kind per `windowMs`; the rest are counted and reported with the next one. */
  alertRateLimit: { max: number; windowMs: number };
  /** When the order expiry job runs (cron, UTC); `off` schedules nothing (the job can still be triggered). */
  expiryJobCron: string;
  logLevel: string;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required when NODE_ENV=production`);
  return v;
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

function positiveInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  const secret = (name: string, make: () => string) =>
    env[name] || (production ? required(name) : keptSecret(dataDir, name, make));
  return {
    env: env.NODE_ENV ?? 'development',
    production,
    port: positiveInt('PORT', 4000, env),
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    workers: positiveInt('WEB_CONCURRENCY', 1, env),
    trustProxy: env.TRUST_PROXY || undefined,
    dataDir,
    databaseUrl: env.DATABASE_URL || (production ? required('DATABASE_URL') : undefined),
    jwtSecret: secret('JWT_SECRET', () => randomBytes(32).toString('base64url')),
    tokenTtlSeconds: positiveInt('TOKEN_TTL_SECONDS', 8 * 3600, env),
    superAdmin: { email: env.SUPER_ADMIN_EMAIL || 'admin@aegis.local', password: env.SUPER_ADMIN_PASSWORD || undefined },
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY || (production ? required('STRIPE_SECRET_KEY') : 'sk_test_aegis_local'),
      webhookSecret: secret('STRIPE_WEBHOOK_SECRET', () => `whsec_${randomBytes(24).toString('base64url')}`),
      apiBase: env.STRIPE_API_BASE || undefined,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY || 'sk-aegis-local',
      baseUrl: env.OPENAI_BASE_URL || undefined,
      model: env.OPENAI_MODEL || 'gpt-4o-mini',
      timeoutMs: positiveInt('AI_TIMEOUT_MS', 20000, env),
    },
    alertWebhookUrl: env.ALERT_WEBHOOK_URL || undefined,
    alertRateLimit: { max: positiveInt('ALERT_MAX_PER_WINDOW', 10, env), windowMs: positiveInt('ALERT_WINDOW_SECONDS', 60, env) * 1000 },
    expiryJobCron: env.EXPIRY_JOB_CRON || '* * * * *',
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}
