import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AegisMetrics } from '../metrics/registry';

/** Times every answer by its route: the name a handler gave (a mount, a provider's webhook), Express's route path, else `unmatched`. */
export function httpMetrics(metrics: AegisMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const route: string = res.locals.route ?? req.route?.path ?? 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: res.statusCode }, (performance.now() - started) / 1000);
    });
    next();
  };
}

/** Names a mounted handler's route for httpMetrics: a mount (app.use) sets no Express route. */
export const routeName =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.route = name;
    next();
  };

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set, only `Authorization: Bearer <token>` reads it and
 * anything else answers 401: set it whenever more than the scraper can reach the port. Unset, it is open.
 */
export function metricsEndpoint(metrics: AegisMetrics, token?: string): RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return async (req, res) => {
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit that would time the token.
    if (expected && !timingSafeEqual(digest(req.header('authorization') ?? ''), expected)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'a bearer token is required' });
      return;
    }
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
