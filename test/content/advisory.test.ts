import { AdminLoginDocument, CreateSiteAdminDocument, SiteDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createSite } from '../support/flows';
import {
  approve,
  auditActions,
  getItem,
  listSuggestions,
  newItem,
  reject,
  requestSuggestion,
  revise,
  setAi,
  sql,
  tableCounts,
} from './ops';

let t: TestAegis;
/** Statements the server sends while `capturing` is set. */
let captured: string[] | null = null;

beforeAll(async () => {
  // A short provider timeout, so the hanging-provider test is quick.
  t = await startTestAegis({ aiTimeoutMs: 1500, onQuery: (s) => captured?.push(s) });
});
afterAll(() => t.close());
beforeEach(() => {
  t.openai.mode = 'ok';
  t.openai.content = (_req, call) => `Suggested body number ${call}.`;
  t.openai.model = undefined;
});

async function aiSiteWithItem(body = 'The original body.') {
  const siteId = await createSite(t);
  await setAi(t, siteId, true);
  return { siteId, itemId: await newItem(t, siteId, body) };
}

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('AI disabled mode (the default)', () => {
  it('answers AI_DISABLED with the graceful message, calls no provider and writes nothing', async () => {
    const siteId = await createSite(t);
    const site = await t.op(SiteDocument, { siteId });
    expect(site.data!.site!.aiEnabled).toBe(false);
    const itemId = await newItem(t, siteId);
    const calls = t.openai.calls;
    const before = await tableCounts(t);

    // Even an empty instruction or an unknown item: the gate answers first.
    for (const [item, instruction] of [
      [itemId, 'Shorter please'],
      [itemId, ''],
      [MISSING, 'Shorter please'],
    ]) {
      const r = await requestSuggestion(t, siteId, item, instruction);
      expect(r.data!.requestSuggestion).toEqual({
        suggestion: null,
        userErrors: [{ code: 'AI_DISABLED', message: 'Advisory disabled for this site', field: null }],
      });
    }
    expect(t.openai.calls).toBe(calls);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('toggles at runtime: enabling lets the next request through, disabling stops the next one', async () => {
    const siteId = await createSite(t);
    const itemId = await newItem(t, siteId);
    const calls = t.openai.calls;
    expect((await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.userErrors[0].code).toBe('AI_DISABLED');

    await setAi(t, siteId, true);
    const on = await requestSuggestion(t, siteId, itemId);
    expect(on.data!.requestSuggestion.userErrors).toEqual([]);
    expect(on.data!.requestSuggestion.suggestion!.status).toBe('PENDING_REVIEW');
    expect(t.openai.calls).toBe(calls + 1);

    await setAi(t, siteId, false);
    expect((await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.userErrors[0].code).toBe('AI_DISABLED');
    expect(t.openai.calls).toBe(calls + 1);
    expect((await listSuggestions(t, siteId)).data!.suggestions).toHaveLength(1);
  });

  it('stores nothing when the flag is turned off while the provider is answering', async () => {
    const { siteId, itemId } = await aiSiteWithItem();
    const before = await tableCounts(t);
    t.openai.content = async () => {
      await setAi(t, siteId, false);
      return 'Arrived after the site turned advice off.';
    };
    const r = await requestSuggestion(t, siteId, itemId);
    expect(r.data!.requestSuggestion.userErrors).toEqual([
      expect.objectContaining({ code: 'AI_DISABLED', message: 'Advisory disabled for this site' }),
    ]);
    const after = await tableCounts(t);
    expect(after.suggestions).toBe(before.suggestions);
    // Only the toggle itself was audited.
    expect(after.audit_log).toBe(before.audit_log + 1);
  });
});

describe('AI advisory suggestion flow', () => {
  it('stores the suggestion separately, leaves canonical content unchanged, and approval creates a new version', async () => {
    const { siteId, itemId } = await aiSiteWithItem('Our shop sells tea.');
    t.openai.content = () => 'Welcome! Our little shop sells wonderful tea.';

    const r = await requestSuggestion(t, siteId, itemId, 'Make it friendlier');
    expect(r.data!.requestSuggestion.userErrors).toEqual([]);
    const s = r.data!.requestSuggestion.suggestion!;
    expect(s).toMatchObject({
      siteId,
      contentItemId: itemId,
      status: 'PENDING_REVIEW',
      instruction: 'Make it friendlier',
      body: 'Welcome! Our little shop sells wonderful tea.',
      baseVersion: 1,
      model: 'gpt-4o-mini',
      decidedAt: null,
      decidedBy: null,
      rejectionReason: null,
      createdVersion: null,
    });
    // The provider got the current body and the instruction, through the SDK, with the configured model and key.
    const call = t.openai.requests[t.openai.requests.length - 1];
    expect(call.model).toBe('gpt-4o-mini');
    expect(call.authorization).toBe('Bearer sk-aegis-local');
    expect(JSON.stringify(call.messages)).toContain('Our shop sells tea.');
    expect(JSON.stringify(call.messages)).toContain('Make it friendlier');

    // Separate table; canonical content untouched.
    expect(await sql(t, `select site_id, content_item_id, status, base_version from suggestions where id = $1`, [s.id])).toEqual([
      { site_id: siteId, content_item_id: itemId, status: 'PENDING_REVIEW', base_version: 1 },
    ]);
    const untouched = (await getItem(t, siteId, itemId))!;
    expect(untouched.currentVersion).toMatchObject({ number: 1, body: 'Our shop sells tea.' });
    expect(untouched.versions).toHaveLength(1);
    expect(
      (await listSuggestions(t, siteId, { contentItemId: itemId, status: 'PENDING_REVIEW' })).data!.suggestions.map((x) => x.id),
    ).toEqual([s.id]);

    const a = await approve(t, siteId, s.id);
    expect(a.data!.approveSuggestion.userErrors).toEqual([]);
    expect(a.data!.approveSuggestion.suggestion).toMatchObject({
      status: 'APPROVED',
      createdVersion: 2,
      decidedBy: 'admin:root@aegis.test',
    });
    expect(a.data!.approveSuggestion.suggestion!.decidedAt).toEqual(expect.any(String));

    const approved = (await getItem(t, siteId, itemId))!;
    expect(approved.currentVersion).toMatchObject({
      number: 2,
      body: 'Welcome! Our little shop sells wonderful tea.',
      source: 'AI_SUGGESTION',
      suggestionId: s.id,
      createdBy: 'admin:root@aegis.test',
    });
    expect(approved.versions.map((v) => [v.number, v.body])).toEqual([
      [1, 'Our shop sells tea.'],
      [2, 'Welcome! Our little shop sells wonderful tea.'],
    ]);

    // A decided suggestion cannot be decided again.
    expect((await approve(t, siteId, s.id)).data!.approveSuggestion.userErrors[0].code).toBe('INVALID_TRANSITION');
    expect((await reject(t, siteId, s.id, 'Changed my mind')).data!.rejectSuggestion.userErrors[0].code).toBe('INVALID_TRANSITION');
    expect((await getItem(t, siteId, itemId))!.versions).toHaveLength(2);

    const audit = (await auditActions(t, siteId)).filter((e) => e.entityId === s.id);
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['system:ai-advisory', 'suggestion.create'],
      ['admin:root@aegis.test', 'suggestion.approve'],
    ]);
    expect(audit[0].detail).toContain('"requestedBy":"admin:root@aegis.test"');
  });

  it('writes only the suggestions table (and its audit entry) on the AI path', async () => {
    const { siteId, itemId } = await aiSiteWithItem();
    captured = [];
    const r = await requestSuggestion(t, siteId, itemId);
    const statements = captured;
    captured = null;
    expect(r.data!.requestSuggestion.userErrors).toEqual([]);
    const written = new Set(
      statements.flatMap((s) => [...s.matchAll(/\b(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/gi)].map((m) => m[1])),
    );
    expect([...written].sort()).toEqual(['audit_log', 'suggestions']);
  });

  it('logs a rejection with its reason and leaves content as it was', async () => {
    const { siteId, itemId } = await aiSiteWithItem('Plain text.');
    const s = (await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.suggestion!;

    expect((await reject(t, siteId, s.id, '   ')).data!.rejectSuggestion.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['reason'] }),
    ]);
    const r = await reject(t, siteId, s.id, ' Too informal for our brand ');
    expect(r.data!.rejectSuggestion.userErrors).toEqual([]);
    expect(r.data!.rejectSuggestion.suggestion).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Too informal for our brand',
      decidedBy: 'admin:root@aegis.test',
      createdVersion: null,
    });
    expect(r.data!.rejectSuggestion.suggestion!.decidedAt).toEqual(expect.any(String));

    expect((await sql(t, `select status, rejection_reason, decided_by from suggestions where id = $1`, [s.id]))[0]).toEqual({
      status: 'REJECTED',
      rejection_reason: 'Too informal for our brand',
      decided_by: 'admin:root@aegis.test',
    });
    const audit = (await auditActions(t, siteId)).filter((e) => e.action === 'suggestion.reject');
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'admin:root@aegis.test',
        entityId: s.id,
        detail: expect.stringContaining('Too informal for our brand'),
      }),
    ]);
    expect((await getItem(t, siteId, itemId))!.versions).toEqual([expect.objectContaining({ number: 1, body: 'Plain text.' })]);

    expect((await approve(t, siteId, s.id)).data!.approveSuggestion.userErrors[0].code).toBe('INVALID_TRANSITION');
    // The recorded rejection is final, in the database itself.
    await expect(sql(t, `update suggestions set rejection_reason = 'rewritten' where id = $1`, [s.id])).rejects.toThrow(/decided/);
    await expect(sql(t, `delete from suggestions where id = $1`, [s.id])).rejects.toThrow(/decided/);
  });

  it('answers STALE_SUGGESTION and changes nothing when the content moved on since the suggestion', async () => {
    const { siteId, itemId } = await aiSiteWithItem('Version one.');
    const s = (await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.suggestion!;
    expect(s.baseVersion).toBe(1);
    await revise(t, siteId, itemId, 'Version two, by hand.');

    const r = await approve(t, siteId, s.id);
    expect(r.data!.approveSuggestion.suggestion).toBeNull();
    expect(r.data!.approveSuggestion.userErrors).toEqual([expect.objectContaining({ code: 'STALE_SUGGESTION' })]);
    const item = (await getItem(t, siteId, itemId))!;
    expect(item.currentVersion).toMatchObject({ number: 2, body: 'Version two, by hand.', source: 'MANUAL' });
    expect(item.versions).toHaveLength(2);
    expect((await listSuggestions(t, siteId, { contentItemId: itemId })).data!.suggestions).toEqual([
      expect.objectContaining({ id: s.id, status: 'PENDING_REVIEW' }),
    ]);

    // A suggestion made from the new version applies.
    const fresh = (await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.suggestion!;
    expect(fresh.baseVersion).toBe(2);
    expect((await approve(t, siteId, fresh.id)).data!.approveSuggestion.suggestion!.createdVersion).toBe(3);
  });

  it('scopes suggestions by site: another site sees none and touches none, exactly as if they did not exist', async () => {
    const a = await aiSiteWithItem();
    const siteB = await createSite(t, 'Other shop');
    await setAi(t, siteB, true);
    const s = (await requestSuggestion(t, a.siteId, a.itemId)).data!.requestSuggestion.suggestion!;

    expect((await listSuggestions(t, siteB)).data!.suggestions).toEqual([]);
    expect((await listSuggestions(t, siteB, { contentItemId: a.itemId })).data!.suggestions).toEqual([]);
    expect((await listSuggestions(t, a.siteId)).data!.suggestions.map((x) => x.id)).toEqual([s.id]);

    for (const op of [() => approve(t, siteB, s.id), () => reject(t, siteB, s.id, 'Not mine')]) {
      const foreign = await op();
      expect(Object.values(foreign.data!)[0]).toEqual({
        suggestion: null,
        userErrors: [{ code: 'NOT_FOUND', message: 'Suggestion not found', field: ['suggestionId'] }],
      });
    }
    expect((await approve(t, siteB, MISSING)).data!.approveSuggestion.userErrors[0]).toEqual({
      code: 'NOT_FOUND',
      message: 'Suggestion not found',
      field: ['suggestionId'],
    });
    const calls = t.openai.calls;
    expect((await requestSuggestion(t, siteB, a.itemId)).data!.requestSuggestion.userErrors[0].code).toBe('NOT_FOUND');
    expect(t.openai.calls).toBe(calls);
    expect((await sql(t, `select status from suggestions where id = $1`, [s.id]))[0].status).toBe('PENDING_REVIEW');

    // A SITE_ADMIN of site B is refused site A's suggestions outright.
    const token = await t.superToken();
    const created = await t.op(
      CreateSiteAdminDocument,
      { input: { email: 'editor-b@example.com', password: 'editor-b-password-1', siteIds: [siteB] } },
      { token },
    );
    expect(created.data!.createSiteAdmin.userErrors).toEqual([]);
    const login = await t.op(AdminLoginDocument, { email: 'editor-b@example.com', password: 'editor-b-password-1' });
    const editorB = login.data!.adminLogin.token!;
    expect((await listSuggestions(t, a.siteId, {}, editorB)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await requestSuggestion(t, a.siteId, a.itemId, 'x', editorB)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await listSuggestions(t, siteB, {}, editorB)).data!.suggestions).toEqual([]);
  });

  it('refuses an empty or overlong instruction with VALIDATION before calling the provider', async () => {
    const { siteId, itemId } = await aiSiteWithItem();
    const calls = t.openai.calls;
    for (const instruction of ['  ', 'i'.repeat(2001)]) {
      const r = await requestSuggestion(t, siteId, itemId, instruction);
      expect(r.data!.requestSuggestion.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['instruction'] })]);
    }
    expect(t.openai.calls).toBe(calls);
  });
});

describe('provider failure', () => {
  it.each([
    ['answers 500', 'error' as const],
    ['hangs past AI_TIMEOUT_MS', 'hang' as const],
  ])('answers AI_UNAVAILABLE and stores nothing when the provider %s (one call, no retry)', async (_what, mode) => {
    const { siteId, itemId } = await aiSiteWithItem();
    const before = await tableCounts(t);
    const calls = t.openai.calls;
    t.openai.mode = mode;

    const r = await requestSuggestion(t, siteId, itemId);
    expect(r.data!.requestSuggestion).toEqual({ suggestion: null, userErrors: [expect.objectContaining({ code: 'AI_UNAVAILABLE' })] });
    expect(t.openai.calls).toBe(calls + 1);
    expect(await tableCounts(t)).toEqual(before);
    expect((await getItem(t, siteId, itemId))!.versions).toHaveLength(1);

    // The provider back: the same request now succeeds.
    t.openai.mode = 'ok';
    expect((await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.userErrors).toEqual([]);
  });
});

describe("the provider's answer is checked like user input", () => {
  /** Asks for a suggestion and checks the refusal: AI_UNAVAILABLE, nothing stored, the provider failure alerted. */
  async function refused() {
    const { siteId, itemId } = await aiSiteWithItem();
    const before = await tableCounts(t);
    const raise = jest.spyOn(t.aegis.deps.alerts, 'raise');
    try {
      const r = await requestSuggestion(t, siteId, itemId);
      expect(r.errors ?? []).toEqual([]);
      expect(r.data!.requestSuggestion).toEqual({ suggestion: null, userErrors: [expect.objectContaining({ code: 'AI_UNAVAILABLE' })] });
      expect(await tableCounts(t)).toEqual(before);
      expect(raise).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'ai_unavailable', fields: expect.objectContaining({ siteId, contentItemId: itemId }) }),
      );
      // The alert names what was wrong, never the answer itself.
      expect(JSON.stringify(raise.mock.calls).length).toBeLessThan(2000);
    } finally {
      raise.mockRestore();
    }
  }

  it.each([
    ['a NUL', 'before\u0000after'],
    ['a bell and an escape sequence', 'Ring \u0007 and \u001b[31mred'],
    ['DEL', 'delete\u007f'],
    ['a lone surrogate', 'broken \ud800 text'],
    ['a body over 100,000 characters', 'x'.repeat(100_001)],
    ['a number', 12345],
    ['an object', { text: 'hi' }],
    ['an array', ['hi']],
    ['a boolean', true],
  ])('content with %s: AI_UNAVAILABLE, nothing stored, alerted', async (_what, content) => {
    t.openai.content = () => content;
    await refused();
  });

  it.each([
    ['over 200 characters', 'm'.repeat(201)],
    ['of 2 MB', 'x'.repeat(2 * 1024 * 1024)],
    ['with a control character', 'gpt-4o\u0000'],
    ['with a newline', 'gpt-4o\nINJECTED log line'],
    ['not ASCII', 'gpt-4o-ü'],
    ['a number', 42],
    ['an object', { name: 'gpt' }],
  ])('a model name %s: AI_UNAVAILABLE, nothing stored, alerted', async (_what, model) => {
    t.openai.model = model;
    await refused();
  });

  it('keeps newlines, tabs and carriage returns, and a printable model name, through to the approved version', async () => {
    const { siteId, itemId } = await aiSiteWithItem();
    t.openai.content = () => '  First line\r\n\tIndented 🍵 line\nLast  ';
    t.openai.model = 'gpt-4o-mini-2024-07-18';
    const s = (await requestSuggestion(t, siteId, itemId)).data!.requestSuggestion.suggestion!;
    expect(s).toMatchObject({ body: 'First line\r\n\tIndented 🍵 line\nLast', model: 'gpt-4o-mini-2024-07-18' });
    expect((await approve(t, siteId, s.id)).data!.approveSuggestion.userErrors).toEqual([]);
    expect((await getItem(t, siteId, itemId))!.currentVersion.body).toBe('First line\r\n\tIndented 🍵 line\nLast');
  });
});
