import { AdminLoginDocument } from '../../clients/generated/graphql';
import { PostgresAttemptCounter } from '../../src/db/attempt-counter';
import { startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { systemClock } from '../../src/domain/clock';
import { RateLimiter } from '../../src/domain/identity/rate-limiter';
import { logger } from '../../src/logger';
import { startTestAegis, SUPER_ADMIN, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { startRestartableCluster, type RestartableCluster } from '../support/restartable-cluster';
import { spawnOnFreshDatabase, spawnServer, type ServerProcess } from '../support/server-process';
import { ownerSql, requestRoleUrl } from '../support/sql';

/**
 * Bounded work per login: junk emails neither fill the limiter nor the log, a limited client adds nothing, and
 * nobody can lock the super admin out by failing its password. The counters are rows of rate_limits.attempts;
 * moving the test clock past a window starts new windows (src/db/attempt-counter.ts).
 */
const WINDOW_MS = 15 * 60 * 1000;
const JUNK = 'x'.repeat(65_000);

/** 15 aliased logins in one request (the alias limit), each with its own email; under the 1 MB body limit with 65 KB emails. */
async function aliasedLogins(url: string, emails: string[], forwardedFor = '198.51.100.1'): Promise<string[]> {
  const vars = emails.map((_, i) => `$e${i}:String!`).join(',');
  const fields = emails.map((_, i) => `l${i}: adminLogin(email:$e${i},password:"wrong-password"){ userErrors{ code } }`).join(' ');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: `mutation(${vars}){ ${fields} }`, variables: Object.fromEntries(emails.map((e, i) => [`e${i}`, e])) }),
  });
  const body = (await res.json()) as any;
  if (!body.data) throw new Error(JSON.stringify(body).slice(0, 500));
  return emails.map((_, i) => body.data[`l${i}`].userErrors[0].code);
}

const fifteen = (tag: string, suffix = '') => Array.from({ length: 15 }, (_, i) => `${tag}-${i}${suffix}@aegis.test`);

/** The counters' rows, ended windows included until they are pruned. */
const rows = async (dbUrl: string, like = '%') =>
  (await ownerSql<{ n: number }>(dbUrl, `select count(*)::int as n from rate_limits.attempts where key like $1`, [like]))[0].n;

async function loginFrom(t: TestAegis, client: string, email: string, password: string) {
  const started = performance.now();
  const { adminLogin } = (await t.op(AdminLoginDocument, { email, password }, { forwardedFor: client })).data!;
  return {
    token: adminLogin.token,
    code: adminLogin.userErrors[0]?.code ?? null,
    ms: performance.now() - started,
  };
}

describe('the login limiter holds a bounded number of rows', () => {
  const clock = new TestClock();
  let t: TestAegis;
  beforeAll(async () => {
    t = await startTestAegis({ clock });
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(WINDOW_MS + 1));
  const size = () => rows(t.dbUrl);

  it('a 65 KB email is never a key: 10 requests of 15 such logins leave one key, and answer INVALID_CREDENTIALS then RATE_LIMITED', async () => {
    const before = await size();
    const answers: string[] = [];
    for (let r = 0; r < 10; r++) answers.push(...(await aliasedLogins(t.aegis.url, fifteen(`junk${r}`, JUNK))));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill('INVALID_CREDENTIALS'));
    expect(new Set(answers.slice(10))).toEqual(new Set(['RATE_LIMITED']));
    expect((await size()) - before).toBeLessThanOrEqual(1);
  });

  it('a limited client adds no key: 45 logins with distinct emails from one client leave at most 1 + 2 x 10 keys', async () => {
    const before = await size();
    for (let r = 0; r < 3; r++) await aliasedLogins(t.aegis.url, fifteen(`spray${r}`));
    expect((await size()) - before).toBeLessThanOrEqual(21);
  });

  it('the in-process limiter (carts) never holds more keys than its cap, however many clients fail', () => {
    const limiter = new RateLimiter(10, WINDOW_MS, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`client:${i}`, 0);
    expect(limiter.size).toBe(100);
    // The newest keys are the ones kept: the oldest make room.
    expect(limiter.count('client:999', 0)).toBe(1);
    expect(limiter.count('client:0', 0)).toBe(0);
  });
});

describe('the login counter in PostgreSQL, as the request role', () => {
  let t: TestAegis;
  const counters: PostgresAttemptCounter[] = [];
  const counter = async (windowMs: number, maxRows?: number) => {
    const c = new PostgresAttemptCounter({ url: await requestRoleUrl(t.dbUrl), windowMs, clock: systemClock, log: logger, maxRows });
    counters.push(c);
    return c;
  };
  beforeAll(async () => {
    t = await startTestAegis();
  });
  afterAll(async () => {
    for (const c of counters) await c.close();
    await t.close();
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('counts per key in a window, starts a new window when it ends, and prunes the rows of ended windows', async () => {
    const c = await counter(1000);
    expect([await c.add('test:a'), await c.add('test:a'), await c.add('test:b')]).toEqual([1, 2, 1]);
    await c.refund('test:a');
    expect(await c.add('test:a')).toBe(2);
    await sleep(1200);
    expect(await c.add('test:a')).toBe(1);
    expect(await rows(t.dbUrl, 'test:%')).toBe(2);
    await sleep(1200);
    expect(await c.prune()).toBeGreaterThanOrEqual(2);
    expect(await rows(t.dbUrl, 'test:%')).toBe(0);
  });

  it('a refund after its window ended leaves no row (it would start the next window at -1, a free attempt)', async () => {
    const c = await counter(1000);
    expect(await c.add('late:a')).toBe(1);
    await sleep(1200);
    await c.refund('late:a');
    expect(await rows(t.dbUrl, 'late:%')).toBe(0);
  });

  it('never keeps more rows than its cap once pruned: the oldest windows go first', async () => {
    const c = await counter(60_000, 100);
    await c.add('cap:first');
    await sleep(20);
    for (let i = 0; i < 300; i++) await c.add(`cap:${i}`);
    await sleep(20);
    await c.add('cap:last');
    await c.prune();
    expect(await rows(t.dbUrl)).toBe(100);
    expect(await rows(t.dbUrl, 'cap:last')).toBe(1);
    expect(await rows(t.dbUrl, 'cap:first')).toBe(0);
  });
});

describe('a login while the counters cannot be reached fails closed, cleanly', () => {
  let cluster: RestartableCluster;
  let stripe: StripeSandbox;
  let server: ServerProcess;
  beforeAll(async () => {
    cluster = await startRestartableCluster();
    stripe = await startStripeSandbox();
    server = await spawnServer({ DATABASE_URL: cluster.url, STRIPE_API_BASE: stripe.url });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await stripe?.close();
    await cluster?.close();
  });
  const rightPassword = () => server.op(AdminLoginDocument, { email: SUPER_ADMIN.email, password: SUPER_ADMIN.password });

  it('the counters refused to the request role: even the right password is refused, and the cause stays in the log', async () => {
    await ownerSql(cluster.url, `revoke all on rate_limits.attempts from aegis_app`);
    try {
      const r = await rightPassword();
      expect(r.data?.adminLogin ?? null).toBeNull();
      // A fault, not an outage: the answer every resolver fault gets (a stack of the shield's frames only outside production).
      expect(r.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Internal server error', 'INTERNAL_SERVER_ERROR']]);
      expect(JSON.stringify(r)).not.toMatch(/permission denied|rate_limits|attempt-counter|login-limits/);
    } finally {
      await ownerSql(cluster.url, `grant select, insert, update, delete on rate_limits.attempts to aegis_app`);
    }
    expect(server.output()).toMatch(/permission denied for table attempts.*"resolver failed"/);
    expect((await rightPassword()).data!.adminLogin.token).toEqual(expect.any(String));
  });

  it('PostgreSQL stopped: the login answers SERVICE_UNAVAILABLE; started again, it signs in on the same process', async () => {
    await cluster.stop();
    try {
      const r = await rightPassword();
      expect(r.data?.adminLogin ?? null).toBeNull();
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(JSON.stringify(r)).not.toMatch(/ECONNREFUSED|stacktrace|at .*\.js/);
    } finally {
      await cluster.start();
    }
    expect((await rightPassword()).data!.adminLogin.token).toEqual(expect.any(String));
    expect(server.output()).toMatch(/database unreachable/);
  });
});

describe('the log of refused logins', () => {
  it('holds no attacker-chosen 65 KB email, only a short hash', async () => {
    const proc = await spawnOnFreshDatabase({ LOG_LEVEL: 'info' });
    try {
      for (let r = 0; r < 3; r++) await aliasedLogins(proc.server.url, fifteen(`logged${r}`, JUNK));
      await new Promise((r) => setTimeout(r, 200));
      const out = proc.server.output();
      expect(out).toMatch(/login refused/);
      expect(out).toMatch(/login rate limited/);
      expect(out).not.toContain('x'.repeat(1000));
      expect(out.length).toBeLessThan(100_000);
    } finally {
      await proc.close();
    }
  });
});

describe('nobody can lock out the super admin', () => {
  const clock = new TestClock();
  let t: TestAegis;
  beforeAll(async () => {
    t = await startTestAegis({ clock, env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(WINDOW_MS + 1));

  it('11 wrong passwords from one client: that client is RATE_LIMITED, even with the right one; another client signs in', async () => {
    const answers: (string | null)[] = [];
    for (let i = 0; i < 11; i++) answers.push((await loginFrom(t, '203.0.113.1', SUPER_ADMIN.email, `wrong-${i}`)).code);
    expect(await loginFrom(t, '203.0.113.2', SUPER_ADMIN.email, SUPER_ADMIN.password)).toMatchObject({
      token: expect.any(String),
      code: null,
    });
    expect(await loginFrom(t, '203.0.113.1', SUPER_ADMIN.email, SUPER_ADMIN.password)).toMatchObject({ token: null, code: 'RATE_LIMITED' });
    // Five failures per client and email, ten per client.
    expect(answers).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), ...Array(6).fill('RATE_LIMITED')]);
  });

  it('failures spread over many clients slow the email down (a growing delay), but never refuse the right password', async () => {
    for (const client of ['203.0.113.11', '203.0.113.12']) {
      for (let i = 0; i < 5; i++) expect((await loginFrom(t, client, SUPER_ADMIN.email, `wrong-${i}`)).code).toBe('INVALID_CREDENTIALS');
    }
    // Ten failures for the email in the window: each further attempt waits 250 ms, then 500 ms, then 1 s, ...
    const third = await loginFrom(t, '203.0.113.13', SUPER_ADMIN.email, 'wrong-a');
    const fourth = await loginFrom(t, '203.0.113.13', SUPER_ADMIN.email, 'wrong-b');
    const right = await loginFrom(t, '203.0.113.14', SUPER_ADMIN.email, SUPER_ADMIN.password);
    expect([third.code, fourth.code]).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    expect(third.ms).toBeGreaterThanOrEqual(250);
    expect(fourth.ms).toBeGreaterThanOrEqual(500);
    expect(right).toMatchObject({ token: expect.any(String), code: null });
    expect(right.ms).toBeGreaterThanOrEqual(1000);
  });

  it('a successful login does not count against its client: an admin signs in 20 times in a row', async () => {
    for (let i = 0; i < 20; i++) expect((await loginFrom(t, '203.0.113.21', SUPER_ADMIN.email, SUPER_ADMIN.password)).code).toBeNull();
  });
});
