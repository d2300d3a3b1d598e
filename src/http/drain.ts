import type { RequestHandler } from 'express';
import type { Server } from 'node:http';

/**
 * The HTTP side of a graceful shutdown. Draining: the listening socket is closed (new connections are refused), idle
 * keep-alive connections are closed at once and busy ones once their answer is sent, /readyz answers 503; after the
 * grace period, what is still open is destroyed.
 */
export class Drain {
  draining = false;

  /** A request arriving while draining is answered with `Connection: close`: its client will not reuse the connection. */
  readonly closeConnections: RequestHandler = (_req, res, next) => {
    if (this.draining) res.setHeader('connection', 'close');
    next();
  };

  /** Resolves once every connection is closed; `cut` counts the connections the grace period did not wait for. */
  async run(server: Server, graceMs: number): Promise<{ cut: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // An answer begun before draining keeps its connection alive: close each one as it falls idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearInterval(sweep);
    clearTimeout(timer);
    if (!late) return { cut: 0 };
    const cut = await new Promise<number>((r) => server.getConnections((_err, n) => r(n)));
    server.closeAllConnections();
    await closed;
    return { cut };
  }
}
