import { readdirSync, readFileSync } from 'node:fs';
import type { StripeSandbox } from '../../src/integrations/stripe/sandbox';
import type { TestAegis } from '../support/aegis';
import { pendingOrder } from '../support/flows';
import { spawnOnFreshDatabase, type ServerProcess } from '../support/server-process';

/** Live children of a process, from /proc. */
function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('WEB_CONCURRENCY=2 on a fresh database', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let server: ServerProcess;
  let stripe: StripeSandbox;

  beforeAll(async () => {
    env = await spawnOnFreshDatabase({ WEB_CONCURRENCY: '2' });
    ({ server, stripe } = env);
  }, 60_000);
  afterAll(() => env?.close());

  it('starts two workers together (one migrates and bootstraps, no deadlock), serves a purchase, and stops them all', async () => {
    expect(server.output()).toContain('2 server processes');
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(2);

    const o = await pendingOrder(server as unknown as TestAegis);
    const hook = await server.webhook(stripe.event('payment_intent.succeeded', stripe.succeed(o.intentId)));
    expect(hook.body.outcome).toBe('confirmed');

    await server.stop();
    expect(workers.filter((pid) => childrenOf(server.pid).includes(pid) || readdirSync('/proc').includes(String(pid)))).toEqual([]);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });
});
