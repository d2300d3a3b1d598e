import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of a server (the Stripe sandbox) that can hang requests: the next `count`
 * requests matching a rule are read and then never answered, and never forwarded, as a gateway that accepted the
 * connection and went silent. Every other request is forwarded as it came, and its answer returned as it went.
 */
export interface HangingProxy {
  url: string;
  /** The requests held so far, with the idempotency key each carried. */
  hung: { method: string; path: string; idempotencyKey?: string }[];
  hangNext(match: { method: string; path: RegExp }, count?: number): void;
  /** Drops the hung connections too. */
  close(): Promise<void>;
}

export async function startHangingProxy(target: string): Promise<HangingProxy> {
  const upstream = new URL(target);
  const rules: { method: string; path: RegExp; remaining: number }[] = [];
  const hung: HangingProxy['hung'] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.once('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const rule = rules.find((r) => r.method === req.method && r.path.test(path));
    if (!rule) return forward(req, res);
    if (--rule.remaining === 0) rules.splice(rules.indexOf(rule), 1);
    const key = req.headers['idempotency-key'];
    hung.push({ method: req.method!, path, ...(typeof key === 'string' && { idempotencyKey: key }) });
    // Read the body, so the client sees its request sent, then say nothing.
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hung,
    hangNext(match, count = 1) {
      rules.push({ ...match, remaining: count });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
