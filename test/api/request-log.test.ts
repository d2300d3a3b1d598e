import { spawnOnFreshDatabase, type ServerProcess } from '../support/server-process';

/** The built server's own JSON log, as an operator reads it. */
describe('request log', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    env = await spawnOnFreshDatabase({ EXPIRY_JOB_CRON: 'off', LOG_LEVEL: 'info' });
    server = env.server;
  }, 60_000);
  afterAll(() => env?.close());

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
