import {
  CreateContentItemDocument,
  ProductsDocument,
  RequestSuggestionDocument,
  SetAiEnabledDocument,
} from '../../clients/generated/graphql';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai';
import { createProduct, createSite } from '../support/flows';
import { spawnOnFreshDatabase, type ServerProcess } from '../support/server-process';

/**
 * Drill: the AI provider hangs. requestSuggestion must answer AI_UNAVAILABLE once AI_TIMEOUT_MS has passed,
 * and the process must go on serving everyone else meanwhile: a product query is timed before the hang and
 * while several suggestions hang (the provider holds their connections; nothing in the process waits on them).
 */
const AI_TIMEOUT_MS = 3000;
const HANGING = 4;

let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
let server: ServerProcess;
let openai: FakeOpenAI;

beforeAll(async () => {
  openai = await startFakeOpenAI();
  env = await spawnOnFreshDatabase({ OPENAI_BASE_URL: openai.url, AI_TIMEOUT_MS: String(AI_TIMEOUT_MS), EXPIRY_JOB_CRON: 'off' });
  server = env.server;
}, 60_000);

afterAll(async () => {
  await env?.close();
  await openai?.close();
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('the AI provider hanging', () => {
  it('answers AI_UNAVAILABLE within AI_TIMEOUT_MS and does not slow the other requests of the process', async () => {
    const token = await server.superToken();
    const siteId = await createSite(server, 'AI shop');
    await createProduct(server, siteId, 'AI-1', 500);
    expect((await server.op(SetAiEnabledDocument, { siteId, enabled: true }, { token })).data!.setAiEnabled.userErrors).toEqual([]);
    const item = await server.op(
      CreateContentItemDocument,
      { siteId, input: { slug: 'about', title: 'About us', body: 'The original body.' } },
      { token },
    );
    const contentItemId = item.data!.createContentItem.contentItem!.id;

    /** One product query, as a storefront sends it, in milliseconds. */
    const productQuery = async () => {
      const started = performance.now();
      const r = await server.op(ProductsDocument, { siteId, first: 10 });
      expect(r.data!.products.edges).toHaveLength(1);
      return performance.now() - started;
    };
    const sample = async () => {
      const ms: number[] = [];
      for (let i = 0; i < 15; i++) ms.push(await productQuery());
      return median(ms);
    };
    await sample(); // warm-up
    const before = await sample();

    openai.mode = 'hang';
    const calls = openai.calls;
    const started = performance.now();
    const suggestions = Array.from({ length: HANGING }, () =>
      server.op(RequestSuggestionDocument, { siteId, contentItemId, instruction: 'Make it friendlier' }, { token }).then((r) => ({
        r,
        ms: performance.now() - started,
      })),
    );
    // Every suggestion is now held by the provider.
    while (openai.calls < calls + HANGING) await new Promise((r) => setTimeout(r, 20));
    const during = await sample();
    const sampledBy = performance.now() - started;

    const answered = await Promise.all(suggestions);
    // The sample was taken while every suggestion still hung.
    expect(sampledBy).toBeLessThan(Math.min(...answered.map((a) => a.ms)));
    for (const { r, ms } of answered) {
      expect(r.data!.requestSuggestion).toEqual({
        suggestion: null,
        userErrors: [{ code: 'AI_UNAVAILABLE', message: 'The advisory service is unavailable; try again later', field: null }],
      });
      expect(ms).toBeGreaterThanOrEqual(AI_TIMEOUT_MS - 50);
      // One call each, no retry: a second wait would double it.
      expect(ms).toBeLessThan(AI_TIMEOUT_MS + 2500);
    }
    expect(openai.calls).toBe(calls + HANGING);
    // Generous for a shared 2-core machine: within 3x, or 200 ms, of the quiet figure.
    expect(during).toBeLessThan(Math.max(before * 3, before + 200));
  }, 60_000);
});
