import { AdminLoginDocument } from '../../clients/generated/graphql';
import { SUPER_ADMIN } from '../support/aegis';
import { spawnOnFreshDatabase, spawnServer, type ServerProcess } from '../support/server-process';

/**
 * Two built servers on one database count the same logins: the limits hold for the deployment, not per process.
 * Both trust the loopback proxy, so X-Forwarded-For names the client and one client can reach either process.
 */
describe('the login limits across two server processes on one database', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    env = await spawnOnFreshDatabase({ TRUST_PROXY: 'loopback' });
    a = env.server;
    b = await spawnServer({ DATABASE_URL: env.dbUrl, STRIPE_API_BASE: env.stripe.url, TRUST_PROXY: 'loopback' });
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    await env?.close();
  });

  const login = async (server: ServerProcess, client: string, email: string, password: string) => {
    const { adminLogin } = (await server.op(AdminLoginDocument, { email, password }, { forwardedFor: client })).data!;
    return adminLogin.token ? 'TOKEN' : adminLogin.userErrors[0].code;
  };

  it('5 wrong passwords alternating between the processes reach the limit on both; the right one from another client signs in', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(await login(i % 2 ? b : a, '203.0.113.1', SUPER_ADMIN.email, `wrong-${i}`));
    expect(answers).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(await login(a, '203.0.113.1', SUPER_ADMIN.email, 'wrong-5')).toBe('RATE_LIMITED');
    expect(await login(b, '203.0.113.1', SUPER_ADMIN.email, SUPER_ADMIN.password)).toBe('RATE_LIMITED');
    expect(await login(b, '203.0.113.2', SUPER_ADMIN.email, SUPER_ADMIN.password)).toBe('TOKEN');
    expect(await login(a, '203.0.113.3', SUPER_ADMIN.email, SUPER_ADMIN.password)).toBe('TOKEN');
  });

  it('10 failures for distinct emails, alternating, reach the per-client limit on both processes', async () => {
    for (let i = 0; i < 10; i++) {
      expect(await login(i % 2 ? b : a, '203.0.113.11', `spray-${i}@aegis.test`, 'wrong-password')).toBe('INVALID_CREDENTIALS');
    }
    expect(await login(a, '203.0.113.11', 'spray-x@aegis.test', 'wrong-password')).toBe('RATE_LIMITED');
    expect(await login(b, '203.0.113.11', 'spray-y@aegis.test', 'wrong-password')).toBe('RATE_LIMITED');
  });

  it('parallel guesses on both processes at once each count: exactly 5 of 12 are answered, the rest RATE_LIMITED', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(i % 2 ? b : a, '203.0.113.21', SUPER_ADMIN.email, `parallel-${i}`)),
    );
    expect(answers.filter((x) => x === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(answers.filter((x) => x === 'RATE_LIMITED')).toHaveLength(7);
  });
});
