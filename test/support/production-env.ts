/** The least environment NODE_ENV=production starts with (every variable it requires set), for the config tests. */
export const productionEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://x@127.0.0.1/x',
  JWT_SECRET: 'x'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
});
