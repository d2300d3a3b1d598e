import { AdminLoginDocument } from '../../clients/generated/graphql';
import { RateLimiter } from '../../src/domain/identity/rate-limiter';
import { startTestAegis, SUPER_ADMIN, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { spawnOnFreshDatabase } from '../support/server-process';

/**
 * Bounded work per login: junk emails neither fill the limiter nor the log, a limited client adds nothing, and
 * nobody can lock the super admin out by failing its password.
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

async function loginFrom(t: TestAegis, client: string, email: string, password: string) {
  const started = performance.now();
  const { adminLogin } = (await t.op(AdminLoginDocument, { email, password }, { forwardedFor: client })).data!;
  return {
    token: adminLogin.token,
    code: adminLogin.userErrors[0]?.code ?? null,
    ms: performance.now() - started,
  };
}

describe('the login limiter holds a bounded number of keys', () => {
  const clock = new TestClock();
  let t: TestAegis;
  beforeAll(async () => {
    t = await startTestAegis({ clock });
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(WINDOW_MS + 1));
  const size = () => t.aegis.deps.loginLimiter.size;

  it('a 65 KB email is never a key: 10 requests of 15 such logins leave one key, and answer INVALID_CREDENTIALS then RATE_LIMITED', async () => {
    const before = size();
    const answers: string[] = [];
    for (let r = 0; r < 10; r++) answers.push(...(await aliasedLogins(t.aegis.url, fifteen(`junk${r}`, JUNK))));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill('INVALID_CREDENTIALS'));
    expect(new Set(answers.slice(10))).toEqual(new Set(['RATE_LIMITED']));
    expect(size() - before).toBeLessThanOrEqual(1);
  });

  it('a limited client adds no key: 45 logins with distinct emails from one client leave at most 1 + 2 x 10 keys', async () => {
    const before = size();
    for (let r = 0; r < 3; r++) await aliasedLogins(t.aegis.url, fifteen(`spray${r}`));
    expect(size() - before).toBeLessThanOrEqual(21);
  });

  it('never holds more keys than its cap, however many clients and emails fail', () => {
    const limiter = new RateLimiter(10, WINDOW_MS, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`client:${i}`, 0);
    expect(limiter.size).toBe(100);
    // The newest keys are the ones kept: the oldest make room.
    expect(limiter.count('client:999', 0)).toBe(1);
    expect(limiter.count('client:0', 0)).toBe(0);
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
