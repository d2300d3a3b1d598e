import { createTestDatabase } from '../support/databases';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { spawnServer, type ServerProcess } from '../support/server-process';

/** The built server's own JSON log, as an operator reads it. */
describe('request log', () => {
  let db: { url: string; drop(): Promise<void> };
  let stripe: FakeStripe;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    stripe = await startFakeStripe();
    server = await spawnServer({ DATABASE_URL: db.url, STRIPE_API_BASE: stripe.url, EXPIRY_JOB_CRON: 'off', LOG_LEVEL: 'info' });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await stripe.close();
    await db.drop();
  });

  const lines = () => server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

  it('logs an operation that answered errors with its request id, operation and codes; successes stay at debug', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-test-1' },
      body: JSON.stringify({ query: 'query WhoAmI { me { id } }' }),
    });
    expect(res.status).toBe(200);
    await server.gql(`query Catalogue { products(siteId: "0190c0de-0000-7000-8000-00000000dead") { edges { cursor } } }`);
    await new Promise((r) => setTimeout(r, 200));
    const logged = lines().filter((l) => l.msg?.startsWith('graphql operation'));
    expect(logged).toEqual([
      expect.objectContaining({ level: 40, requestId: 'req-log-test-1', operation: 'WhoAmI', caller: 'anonymous', errors: ['UNAUTHENTICATED'], ms: expect.any(Number) }),
    ]);
  });
});
