import net from 'node:net';
import { WEBHOOK_SECRET } from '../support/aegis';
import { signedWebhook } from '../../src/integrations/stripe/sandbox';
import { spawnOnFreshDatabase } from '../support/server-process';

/** One HTTP/1.1 connection written by hand, so a request can be left half-sent across the signal. */
async function connection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.setEncoding('utf8').on('data', (c) => (received += c));
  // A reset is an outcome the test looks at, not a crash of the test.
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed, received: () => received };
}

/** The answers in `raw`, in order, each with its body read by Content-Length. */
function answers(raw: string) {
  const out: { status: number; headers: Record<string, string>; body: string }[] = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete answer: ${rest}`);
    const [statusLine, ...headerLines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    const body = rest.slice(end + 4, end + 4 + length);
    if (Buffer.byteLength(body) !== length) throw new Error(`truncated body: ${body}`);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

const until = async (what: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

const GRAPHQL = JSON.stringify({ query: 'query Slow { __typename }' });
const post = (path: string, body: string, headers = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n`;

describe('graceful SIGTERM of the built server', () => {
  it('finishes every request accepted before the signal, refuses new connections, closes idle ones and exits 0', async () => {
    const env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off' });
    try {
      const { server } = env;
      const port = Number(new URL(server.url).port);

      // Accepted before the signal: GraphQL requests and a webhook with half their body sent, and a /readyz with half its headers.
      const slow = await Promise.all(Array.from({ length: 12 }, () => connection(port)));
      for (const c of slow) c.socket.write(post('/graphql', GRAPHQL) + GRAPHQL.slice(0, 10));
      const event = JSON.stringify(env.stripe.event('customer.created', { id: 'cus_1', object: 'customer' }));
      const hook = await connection(port);
      hook.socket.write(post('/webhooks/stripe', event, `Stripe-Signature: ${signedWebhook(event, WEBHOOK_SECRET)}\r\n`) + event.slice(0, 20));
      const ready = await connection(port);
      ready.socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // A kept-alive connection with nothing in flight.
      const idle = await connection(port);
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await until(() => idle.received().includes('{"status":"ok"}'));
      await new Promise((r) => setTimeout(r, 200));

      const signalled = Date.now();
      process.kill(server.pid, 'SIGTERM');
      await until(() => server.output().includes('"msg":"shutting down"'));
      expect(await refused(port)).toBe('ECONNREFUSED');
      await idle.closed;
      expect(Date.now() - signalled).toBeLessThan(1000);

      for (const c of slow) c.socket.write(GRAPHQL.slice(10));
      hook.socket.write(event.slice(20));
      ready.socket.write('\r\n');
      for (const c of slow) {
        const [answer, ...more] = answers(await c.closed);
        expect([answer.status, JSON.parse(answer.body), more]).toEqual([200, { data: { __typename: 'Query' } }, []]);
      }
      expect(answers(await hook.closed).map((a) => [a.status, JSON.parse(a.body)])).toEqual([[200, { received: true, outcome: 'unhandled' }]]);
      // Asked while draining: not ready, and the connection is not kept.
      const [readiness] = answers(await ready.closed);
      expect([readiness.status, JSON.parse(readiness.body), readiness.headers.connection]).toEqual([503, { status: 'shutting down' }, 'close']);

      expect(await server.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      const logged = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(logged.filter((l) => /^shut(ting)? down$/.test(l.msg))).toEqual([
        expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }),
        expect.objectContaining({ msg: 'shut down', signal: 'SIGTERM', ms: expect.any(Number) }),
      ]);
      // Well under the 5 s keep-alive timeout: the connections whose answers ended were closed, not left to time out.
      expect(logged.find((l) => l.msg === 'shut down').ms).toBeLessThan(4000);
    } finally {
      await env.close();
    }
  }, 60_000);

  it('cuts what is still running after SHUTDOWN_GRACE_MS and still exits 0', async () => {
    const env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off', SHUTDOWN_GRACE_MS: '1000' });
    try {
      const { server } = env;
      const stuck = await connection(Number(new URL(server.url).port));
      stuck.socket.write(post('/graphql', GRAPHQL) + GRAPHQL.slice(0, 10));
      await new Promise((r) => setTimeout(r, 200));

      const signalled = Date.now();
      process.kill(server.pid, 'SIGTERM');
      expect(await stuck.closed).toBe('');
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1000);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"cut":1');
    } finally {
      await env.close();
    }
  }, 60_000);
});
