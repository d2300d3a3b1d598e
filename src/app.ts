import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { applyMiddleware } from 'graphql-middleware';
import { buildContext, type Context } from './context';
import { requestLogger } from './logger';
import type { Orm } from './db/orm';
import type { DomainDeps } from './domain/deps';
import { assertListsSized, queryCostLimit } from './graphql-limits/query-cost';
import { MAX_COST } from './graphql-limits/cost-table';
import { Drain } from './http/drain';
import { httpMetrics, metricsEndpoint, routeName } from './http/http-metrics';
import { jsonErrors } from './http/json-errors';
import { operationMetrics } from './http/operation-metrics';
import { requestId, requestIdOf } from './http/request-id';
import { databaseUnreachable, SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE, serviceUnavailable } from './http/service-unavailable';
import { requestLog } from './http/request-log';
import { responseSizeGuard } from './http/response-size';
import { paymentWebhookRouter } from './http/payment-webhook';
import { webApps, type WebAppOptions } from './http/web-apps';
import { devOutboxRouter } from './http/dev-outbox';
import type { DevOutbox } from './integrations/mail';
import type { AegisMetrics } from './metrics/registry';
import { migrationsList } from './migrations';
import { permissions } from './permissions';
import { buildGraphQLSchema } from './schema/build';

export interface AppOptions {
  orm: Orm;
  deps: DomainDeps;
  production: boolean;
  trustProxy?: string;
  metrics: AegisMetrics;
  metricsToken?: string;
  /** The admin console and the storefront (src/http/web-apps.ts). */
  web?: Omit<WebAppOptions, 'production'>;
  /** The development outbox, read by the storefront's password reset at GET /dev/outbox (never in production). */
  outbox?: DevOutbox | null;
}

/** CONTRACT's query limits (README "Security model"). */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxTokens: 1000, maxCost: MAX_COST, maxDirectives: 20 } as const;

/** Wiring only: Express, Apollo with limits and shield, the gateway webhook, health, metrics; `drain` for shutdown. */
export async function createApp(opts: AppOptions) {
  const { orm, deps, metrics } = opts;
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    // Tokens are limited by graphql-js's own parser (parseOptions below): armor's plugin throws from parsing, which Apollo answers 500.
    maxTokens: { enabled: false },
    // Ours instead (src/graphql-limits): armor's counts a list as one item.
    costLimit: { enabled: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: opts.production },
  }).protect();
  assertListsSized(buildGraphQLSchema());
  const apollo = new ApolloServer<Context>({
    schema: applyMiddleware(buildGraphQLSchema(), permissions()),
    // No landing page: Apollo's loads its sandbox from a CDN. A browser's GET /graphql gets a JSON 400 (Apollo's CSRF guard).
    plugins: [
      ...armor.plugins,
      queryCostLimit<Context>(),
      requestLog(),
      operationMetrics(metrics),
      ApolloServerPluginLandingPageDisabled(),
    ],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: !opts.production,
    // An outage says only its code and plain message, in every environment: the stack would name our internals.
    formatError: (formatted) =>
      formatted.extensions?.code === SERVICE_UNAVAILABLE
        ? {
            message: SERVICE_UNAVAILABLE_MESSAGE,
            ...(formatted.path && { path: formatted.path }),
            extensions: { code: SERVICE_UNAVAILABLE },
          }
        : formatted,
    introspection: !opts.production,
    csrfPrevention: true,
    // The shutdown is ours (runtime close()): Apollo's own SIGTERM handler would stop it under in-flight requests.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const drain = new Drain();
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy, the client (for the login rate limit) is the address the trusted proxies forwarded.
  if (opts.trustProxy) app.set('trust proxy', /^\d+$/.test(opts.trustProxy) ? Number(opts.trustProxy) : opts.trustProxy);
  app.use(requestId(), drain.closeConnections, httpMetrics(metrics));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready: the database answers and every migration of this build is applied (an older schema is not ready).
  app.get('/readyz', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
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
  app.get('/metrics', metricsEndpoint(metrics, opts.metricsToken));
  app.use(paymentWebhookRouter(orm, deps, metrics));
  app.use(webApps({ production: opts.production, sandboxUrl: null, stripePublishableKey: null, ...opts.web }));
  if (opts.outbox && !opts.production) app.use(devOutboxRouter(opts.outbox));
  app.use(
    '/graphql',
    routeName('/graphql'),
    express.json({ limit: '1mb' }),
    responseSizeGuard(deps.log),
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        buildContext(orm, deps, {
          requestId: requestIdOf(res),
          clientKey: req.ip ?? 'unknown',
          authorization: req.header('authorization'),
          cartToken: req.header('x-cart-token'),
        }).catch((err: unknown) => {
          // Reading the admin of a token needs the database: out of reach, the answer is a 503, not "Context creation failed".
          const unreachable = databaseUnreachable(err);
          if (!unreachable) throw err;
          requestLogger(deps.log, { requestId: requestIdOf(res), actor: 'anonymous' }).error(
            { reason: unreachable },
            'database unreachable',
          );
          throw serviceUnavailable();
        }),
    }),
  );
  // A body the JSON parser refuses (over 1 MB, malformed) answers its 4xx as JSON, never Express's HTML page with a stack.
  app.use(
    '/graphql',
    (
      err: { status?: number; expose?: boolean; message?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err.status || err.status >= 500 || !err.expose) return next(err);
      res.status(err.status).json({ errors: [{ message: err.message, extensions: { code: 'BAD_REQUEST' } }] });
    },
  );
  // Every route is above: anything else is a JSON 404, like the other answers, not Express's HTML page.
  app.use((_req: express.Request, res: express.Response) => void res.status(404).json({ error: 'not found', code: 'NOT_FOUND' }));
  app.use(jsonErrors(deps.log));
  return { app, apollo, drain };
}
