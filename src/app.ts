import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { applyMiddleware } from 'graphql-middleware';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { buildContext, type Context } from './context';
import type { Orm } from './db/orm';
import type { DomainDeps } from './domain/deps';
import { requestLog } from './http/request-log';
import { stripeWebhookRouter } from './http/stripe-webhook';
import { migrationsList } from './migrations';
import { permissions } from './permissions';
import { buildGraphQLSchema } from './schema/build';

export interface AppOptions {
  orm: Orm;
  deps: DomainDeps;
  stripe: Stripe;
  webhookSecret: string;
  production: boolean;
  trustProxy?: string;
}

/** CONTRACT's query limits (README "Security model"). */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxTokens: 1000, maxCost: 5000, maxDirectives: 20 } as const;

/** Wiring only: Express, Apollo with limits and shield, the gateway webhook, health. */
export async function createApp(opts: AppOptions) {
  const { orm, deps } = opts;
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    // Tokens are limited by graphql-js's own parser (parseOptions below): armor's plugin throws from parsing, which Apollo answers 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
  const apollo = new ApolloServer<Context>({
    schema: applyMiddleware(buildGraphQLSchema(), permissions()),
    plugins: [...armor.plugins, requestLog()],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: !opts.production,
    introspection: !opts.production,
    csrfPrevention: true,
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy, the client (for the login rate limit) is the address the trusted proxies forwarded.
  if (opts.trustProxy) app.set('trust proxy', /^\d+$/.test(opts.trustProxy) ? Number(opts.trustProxy) : opts.trustProxy);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready: the database answers and every migration of this build is applied (an older schema is not ready).
  app.get('/readyz', async (_req, res) => {
    try {
      const rows = await orm.em.fork().execute<{ name: string }[]>('select name from mikro_orm_migrations');
      const applied = new Set(rows.map((r) => r.name));
      const pending = migrationsList.filter((m) => !applied.has(m.name)).map((m) => m.name);
      if (pending.length) res.status(503).json({ status: 'migrations pending', pending });
      else res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(stripeWebhookRouter(orm, deps, opts.stripe, opts.webhookSecret));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: ({ req }) =>
        buildContext(orm, deps, {
          requestId: req.header('x-request-id') || randomUUID(),
          clientKey: req.ip ?? 'unknown',
          authorization: req.header('authorization'),
          cartToken: req.header('x-cart-token'),
        }),
    }),
  );
  // A body the JSON parser refuses (over 1 MB, malformed) answers its 4xx as JSON, never Express's HTML page with a stack.
  app.use('/graphql', (err: { status?: number; expose?: boolean; message?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err.status || err.status >= 500 || !err.expose) return next(err);
    res.status(err.status).json({ errors: [{ message: err.message, extensions: { code: 'BAD_REQUEST' } }] });
  });
  return { app, apollo };
}
