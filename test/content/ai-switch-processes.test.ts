import {
  CreateContentItemDocument,
  CreateSiteDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../../clients/generated/graphql';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai';
import { spawnOnFreshDatabase, spawnServer, type ServerProcess } from '../support/server-process';
import { ownerSql } from '../support/sql';

/**
 * The AI kill switch is answered from each process's memory (src/domain/site/ai-switch.ts), so these tests run
 * two built servers on one database: a toggle on one, or by hand in SQL, must hold on the other as soon as the
 * commit's announcement arrives, and a lost change feed must send every question back to the database.
 */
describe('the AI switch across two server processes on one database', () => {
  let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
  let ai: FakeOpenAI;
  let a: ServerProcess;
  let b: ServerProcess;
  let siteId: string;
  let itemId: string;

  beforeAll(async () => {
    ai = await startFakeOpenAI();
    env = await spawnOnFreshDatabase({ OPENAI_BASE_URL: ai.url });
    a = env.server;
    b = await spawnServer({ DATABASE_URL: env.dbUrl, STRIPE_API_BASE: env.stripe.url, OPENAI_BASE_URL: ai.url });
    const site = await a.op(CreateSiteDocument, { input: { name: 'Switch', currency: 'EUR' } }, { token: await a.superToken() });
    siteId = site.data!.createSite.site!.id;
    const item = await a.op(
      CreateContentItemDocument,
      { siteId, input: { slug: 'about', title: 'About', body: 'The original body.' } },
      { token: await a.superToken() },
    );
    itemId = item.data!.createContentItem.contentItem!.id;
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    await env?.close();
    await ai?.close();
  });

  /** What the server answers a suggestion request: 'SUGGESTED' when it asked the provider and stored one. */
  const ask = async (server: ServerProcess) => {
    const r = await server.op(
      RequestSuggestionDocument,
      { siteId, contentItemId: itemId, instruction: 'Make it friendlier' },
      { token: await server.superToken() },
    );
    const payload = r.data!.requestSuggestion;
    return payload.suggestion ? 'SUGGESTED' : payload.userErrors[0].code;
  };
  const toggle = async (server: ServerProcess, enabled: boolean) => {
    const r = await server.op(SetAiEnabledDocument, { siteId, enabled }, { token: await server.superToken() });
    expect(r.data!.setAiEnabled.site!.aiEnabled).toBe(enabled);
  };
  /** Whether both processes' logs say it within 5 s (their stdout reaches the test a moment after it is written). */
  const logged = async (line: string) => {
    const started = Date.now();
    while (![a, b].every((s) => s.output().includes(line)) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
    return [a, b].every((s) => s.output().includes(line));
  };
  /** Asks until the answer is `want`, for at most 3 s (the announcement crosses processes in milliseconds). */
  const askUntil = async (server: ServerProcess, want: string) => {
    const started = Date.now();
    let answer = await ask(server);
    while (answer !== want && Date.now() - started < 3000) {
      await new Promise((r) => setTimeout(r, 20));
      answer = await ask(server);
    }
    return answer;
  };

  it('a toggle on one process holds on the other; a disabled site never reaches the provider', async () => {
    // Both processes have read the site disabled (and remember it).
    expect([await ask(a), await ask(b), await ask(a), await ask(b)]).toEqual(Array(4).fill('AI_DISABLED'));
    expect(ai.requests).toHaveLength(0);

    await toggle(a, true);
    expect(await ask(a)).toBe('SUGGESTED'); // the toggling process forgets at once
    expect(await askUntil(b, 'SUGGESTED')).toBe('SUGGESTED');

    await toggle(b, false);
    expect(await ask(b)).toBe('AI_DISABLED');
    expect(await askUntil(a, 'AI_DISABLED')).toBe('AI_DISABLED');
    // Once heard, no request reaches the provider.
    const heard = ai.requests.length;
    expect([await ask(a), await ask(b), await ask(a), await ask(b)]).toEqual(Array(4).fill('AI_DISABLED'));
    expect(ai.requests).toHaveLength(heard);
  });

  it("an operator's UPDATE in SQL is announced too: both processes follow it", async () => {
    expect([await ask(a), await ask(b)]).toEqual(['AI_DISABLED', 'AI_DISABLED']);
    await ownerSql(env.dbUrl, `update sites set ai_enabled = true where id = $1`, [siteId]);
    expect([await askUntil(a, 'SUGGESTED'), await askUntil(b, 'SUGGESTED')]).toEqual(['SUGGESTED', 'SUGGESTED']);
    await ownerSql(env.dbUrl, `update sites set ai_enabled = false where id = $1`, [siteId]);
    expect([await askUntil(a, 'AI_DISABLED'), await askUntil(b, 'AI_DISABLED')]).toEqual(['AI_DISABLED', 'AI_DISABLED']);
  });

  it('a lost change feed forgets what it knew, reads the database meanwhile, says so, and listens again', async () => {
    expect(await ask(b)).toBe('AI_DISABLED');
    const feeds = await ownerSql<{ pid: number }>(
      env.dbUrl,
      `select pid from pg_stat_activity where application_name = 'aegis-site-changes' and datname = current_database()`,
    );
    expect(feeds).toHaveLength(2);
    // Both feeds cut (only this database's: other suites share the cluster); a change committed now is announced
    // to nobody, and must still be seen.
    await ownerSql(
      env.dbUrl,
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'aegis-site-changes' and datname = current_database()`,
    );
    await ownerSql(env.dbUrl, `update sites set ai_enabled = true where id = $1`, [siteId]);
    expect([await askUntil(a, 'SUGGESTED'), await askUntil(b, 'SUGGESTED')]).toEqual(['SUGGESTED', 'SUGGESTED']);
    expect(await logged('site change feed down')).toBe(true);

    // Back within the retry (1 s): announced changes reach both processes again.
    expect(await logged('site change feed back')).toBe(true);
    await ownerSql(env.dbUrl, `update sites set ai_enabled = false where id = $1`, [siteId]);
    expect([await askUntil(a, 'AI_DISABLED'), await askUntil(b, 'AI_DISABLED')]).toEqual(['AI_DISABLED', 'AI_DISABLED']);
  });
});
