import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/** The two Vite builds (web/admin, web/shop), written by `npm run build` beside the server's own build. */
export const WEB_ROOT = path.resolve(__dirname, '..', '..', 'dist', 'web');
export const WEB_APPS = ['admin', 'shop'] as const;

export interface WebAppOptions {
  production: boolean;
  /** The offline Stripe sandbox the storefront confirms payments at (loopback); null with real Stripe. */
  sandboxUrl: string | null;
  /** Real Stripe's publishable key: the storefront then loads Stripe Elements, the one path that leaves the machine. */
  stripePublishableKey: string | null;
  root?: string;
}

/**
 * The Content-Security-Policy of the web apps: everything from this origin, nothing from any other host. The only
 * exceptions are the sandbox's loopback address (the storefront confirms test payments there, as Stripe.js would at
 * Stripe) and, only when real Stripe is configured, Stripe.js on the storefront.
 */
export function contentSecurityPolicy(app: (typeof WEB_APPS)[number], opts: WebAppOptions): string {
  const stripe = app === 'shop' && opts.stripePublishableKey !== null && opts.sandboxUrl === null;
  const connect = ["'self'", ...(app === 'shop' && opts.sandboxUrl ? [new URL(opts.sandboxUrl).origin] : [])];
  if (stripe) connect.push('https://api.stripe.com');
  return [
    "default-src 'self'",
    `script-src 'self'${stripe ? ' https://js.stripe.com' : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    `frame-src ${stripe ? 'https://js.stripe.com https://hooks.stripe.com' : "'none'"}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * `/admin` and `/shop`: each a single-page app. Fingerprinted assets are cached for a year; every other path under
 * the app answers its index.html, so a deep link (`/admin/orders/…`, `/shop/<siteId>`) opens in the app's router.
 * `/web-config.json` tells the apps what the server allows (the explorer, real Stripe).
 */
export function webApps(opts: WebAppOptions): express.Router {
  const root = opts.root ?? WEB_ROOT;
  const router = express.Router();
  router.get('/web-config.json', (_req, res) => {
    res.set('cache-control', 'no-store').json({
      production: opts.production,
      // GraphiQL needs introspection, which production turns off.
      explorer: !opts.production,
      stripePublishableKey: opts.sandboxUrl === null ? opts.stripePublishableKey : null,
    });
  });
  for (const app of WEB_APPS) {
    const dir = path.join(root, app);
    const csp = contentSecurityPolicy(app, opts);
    const headers = (res: express.Response) =>
      res.set({
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
    router.use(`/${app}/assets`, (_req, res, next) => {
      headers(res);
      next();
    });
    router.use(`/${app}/assets`, express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
    // An asset this build does not have (an older page's chunk after a deploy) is a 404, never the app's page.
    router.use(`/${app}/assets`, (_req, res) => void res.status(404).json({ error: 'not found', code: 'NOT_FOUND' }));
    router.get([`/${app}`, `/${app}/`, `/${app}/{*path}`], (_req, res) => {
      const index = path.join(dir, 'index.html');
      headers(res);
      if (!existsSync(index)) {
        res.status(503).type('text/plain').send(`The ${app} app is not built: run npm run build.\n`);
        return;
      }
      res.set('cache-control', 'no-cache').sendFile(index);
    });
  }
  return router;
}
